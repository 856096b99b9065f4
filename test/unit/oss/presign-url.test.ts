import { describe, expect, it } from 'vitest';
import { resolveLocation } from '../../../src/oss/addressing.js';
import { presignUrl } from '../../../src/oss/presign-url.js';

const signer = {
  location: resolveLocation({ endpoint: 'oss-cn-hangzhou-internal.aliyuncs.com', bucket: 'bkt' }),
  accessKeyId: 'ak',
  accessKeySecret: 'sk',
  nowMs: Date.UTC(2024, 0, 1, 0, 0, 0, 500),
};

const signatureOf = (url: string): string | null => new URL(url).searchParams.get('x-oss-signature');

describe('presignUrl', () => {
  it('signs on the configured endpoint by default with a one-hour expiry', () => {
    const { url, expiresAt } = presignUrl({ key: 'a b.txt' }, signer);
    expect(url.startsWith('https://bkt.oss-cn-hangzhou-internal.aliyuncs.com/a%20b.txt?')).toBe(true);
    expect(new URL(url).searchParams.get('x-oss-expires')).toBe('3600');
    expect(expiresAt.toISOString()).toBe('2024-01-01T01:00:00.000Z');
  });

  it('puts the public endpoint or the custom domain in the URL with the same signature', () => {
    const internal = presignUrl({ key: 'k' }, signer).url;
    const publicUrl = presignUrl({ key: 'k', publicHost: 'oss-cn-hangzhou.aliyuncs.com' }, signer).url;
    const custom = presignUrl({ key: 'k', publicHost: 'https://cdn.example.com' }, signer).url;
    expect(publicUrl.startsWith('https://bkt.oss-cn-hangzhou.aliyuncs.com/k?')).toBe(true);
    expect(custom.startsWith('https://cdn.example.com/k?')).toBe(true);
    expect(signatureOf(publicUrl)).toBe(signatureOf(internal));
    expect(signatureOf(custom)).toBe(signatureOf(internal));
  });

  it('signs response overrides and the STS token into the query', () => {
    const { url } = presignUrl(
      { key: 'k', query: { 'response-content-disposition': 'attachment' } },
      { ...signer, securityToken: 'tok' },
    );
    const params = new URL(url).searchParams;
    expect(params.get('response-content-disposition')).toBe('attachment');
    expect(params.get('x-oss-security-token')).toBe('tok');
  });
});

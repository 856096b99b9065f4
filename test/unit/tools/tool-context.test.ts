import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../src/config/settings.js';
import { createToolContext } from '../../../src/tools/tool-context.js';

const BASE = { access_key_id: 'id-123456', access_key_secret: 'secret-123456', bucket: 'my-bucket' };

async function urlsFor(settings: Record<string, unknown>) {
  const context = await createToolContext({
    settings: parseSettings({ ...BASE, ...settings }),
    face: 'dify',
  });
  return context.urls;
}

describe('createToolContext urls', () => {
  it.each([
    ['oss-cn-hangzhou.aliyuncs.com', 'https://my-bucket.oss-cn-hangzhou.aliyuncs.com/a%20b/%E6%8A%A5%23.pdf'],
    [
      'https://oss-cn-hangzhou.aliyuncs.com',
      'https://my-bucket.oss-cn-hangzhou.aliyuncs.com/a%20b/%E6%8A%A5%23.pdf',
    ],
    [
      'oss-cn-hangzhou-internal.aliyuncs.com',
      'https://my-bucket.oss-cn-hangzhou.aliyuncs.com/a%20b/%E6%8A%A5%23.pdf',
    ],
  ])(
    'returns https URLs on the public endpoint for endpoint %s, key encoded (B3, B6)',
    async (endpoint, expected) => {
      const urls = await urlsFor({ endpoint });
      expect(urls.publicUrl('a b/报#.pdf')).toBe(expected);
    },
  );

  it('signs for the public twin of an -internal endpoint and never writes httpss (B3)', async () => {
    const urls = await urlsFor({ endpoint: 'https://oss-cn-hangzhou-internal.aliyuncs.com' });
    const signed = await urls.signedUrl('http_guide.pdf', 60);
    expect(signed.url.startsWith('https://my-bucket.oss-cn-hangzhou.aliyuncs.com/http_guide.pdf?')).toBe(
      true,
    );
    expect(signed.url).not.toContain('httpss');
    expect(signed.url).toContain('x-oss-expires=60');
  });

  it('uses the custom domain for public and signed URLs and accepts it when parsing (B5)', async () => {
    const urls = await urlsFor({
      endpoint: 'oss-cn-shanghai.aliyuncs.com',
      custom_domain: 'cdn.example.com',
    });
    expect(urls.publicUrl('x/y.png')).toBe('https://cdn.example.com/x/y.png');
    expect((await urls.signedUrl('x/y.png', 60)).url.startsWith('https://cdn.example.com/x/y.png?')).toBe(
      true,
    );
    expect(urls.parse('https://cdn.example.com/x/y.png?x-oss-process=image/resize,w_100')).toEqual({
      key: 'x/y.png',
      process: 'image/resize,w_100',
    });
    expect(urls.parse('https://my-bucket.oss-cn-shanghai-internal.aliyuncs.com/x/y.png')).toEqual({
      key: 'x/y.png',
    });
    expect(urls.parse('https://cdn.example.org/x/y.png')).toBeUndefined();
    expect(urls.parse('https://other.oss-cn-shanghai.aliyuncs.com/x/y.png')).toBeUndefined();
  });

  it('needs OSS settings only when a tool touches the bucket', async () => {
    const context = await createToolContext({ settings: parseSettings({}), face: 'mcp' });
    expect(() => context.oss).toThrow(expect.objectContaining({ code: 'CONFIG_MISSING_CREDENTIALS' }));
    expect(context.scope.prefix).toBe('');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets, redact, redactUrl, redactValue, registerSecrets } from '../../../src/config/redact.js';

// Fake but well-formed credentials (LTAI + 20 characters, as gitleaks' rule expects).
const AK_ID = 'LTAI5tFakeAccessKey1234';
const SECRET = 'fakeSecretValue+With/Slash=';
const STS = 'CAIS+fake/sts+token==';

afterEach(() => clearSecrets());

describe('redact', () => {
  it('scrubs registered values, also when URL-encoded', () => {
    registerSecrets(SECRET, STS);
    const text = `secret=${SECRET} encoded=${encodeURIComponent(SECRET)} token=${encodeURIComponent(STS)}`;
    const out = redact(text);
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(encodeURIComponent(SECRET));
    expect(out).not.toContain(encodeURIComponent(STS));
  });

  it('ignores registered values too short to be secrets, and undefined ones', () => {
    registerSecrets('abc', undefined, null);
    expect(redact('abc abc')).toBe('abc abc');
  });

  it.each([
    ['an AccessKey id', `key ${AK_ID} used`, AK_ID],
    ['an STS key id', 'id STS.NUfakeStsKeyId1234567 used', 'STS.NUfakeStsKeyId1234567'],
    ['a V1 Authorization header', `Authorization: OSS ${AK_ID}:c2lnbmF0dXJl`, 'c2lnbmF0dXJl'],
    [
      'a V4 Authorization header',
      'authorization: OSS4-HMAC-SHA256 Credential=AKID/20250101/cn-hangzhou/oss/aliyun_v4_request,Signature=abcdef0123',
      'abcdef0123',
    ],
    ['an x-oss-security-token header', 'x-oss-security-token: CAISfaketoken123', 'CAISfaketoken123'],
    ['a JSON accessKeySecret', '{"accessKeySecret":"s3cr3tvalue"}', 's3cr3tvalue'],
    ['a snake_case access_key_secret', 'access_key_secret=s3cr3tvalue', 's3cr3tvalue'],
    ['a JSON securityToken', '{"securityToken": "tok3nvalue"}', 'tok3nvalue'],
    ['a V1 presigned query', '/k?OSSAccessKeyId=AKID&Expires=1&Signature=sig%2Bvalue', 'sig%2Bvalue'],
    [
      'a V4 presigned query',
      '/k?x-oss-credential=AKID%2F20250101&x-oss-signature=deadbeef&x-oss-security-token=tok',
      'deadbeef',
    ],
    ['an S3 presigned query', '/k?X-Amz-Signature=cafebabe&X-Amz-Credential=AKIA', 'cafebabe'],
  ])('scrubs %s', (_name, text, leaked) => {
    expect(redact(text)).not.toContain(leaked);
    expect(redact(text)).toContain('[REDACTED]');
  });

  it('scrubs what a SignatureDoesNotMatch error body echoes', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>SignatureDoesNotMatch</Code>
  <RequestId>65A1B2C3D4E5F6</RequestId>
  <OSSAccessKeyId>${AK_ID}</OSSAccessKeyId>
  <SignatureProvided>c2lnbmF0dXJlUHJvdmlkZWQ=</SignatureProvided>
  <StringToSign>PUT\n\napplication/octet-stream\nWed, 01 Jan 2025 00:00:00 GMT\n/bucket/key</StringToSign>
  <StringToSignBytes>50 55 54 0A</StringToSignBytes>
  <CanonicalRequest>PUT\n/bucket/key\n\nhost:bucket</CanonicalRequest>
</Error>`;
    const out = redact(xml);
    for (const leaked of [AK_ID, 'c2lnbmF0dXJlUHJvdmlkZWQ=', '/bucket/key', '50 55 54 0A']) {
      expect(out).not.toContain(leaked);
    }
    expect(out).toContain('<RequestId>65A1B2C3D4E5F6</RequestId>');
    expect(out).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('leaves ordinary text alone', () => {
    expect(redact('uploaded 3 files to dir/2025/01/01')).toBe('uploaded 3 files to dir/2025/01/01');
  });
});

describe('redactUrl', () => {
  it('drops the whole query of a presigned URL', () => {
    expect(
      redactUrl(
        'https://b.oss-cn-hangzhou.aliyuncs.com/a%20b.txt?x-oss-signature=abc&x-oss-expires=3600#frag',
      ),
    ).toBe('https://b.oss-cn-hangzhou.aliyuncs.com/a%20b.txt?[REDACTED]');
  });

  it('drops user and password', () => {
    expect(redactUrl('http://alice:hunter22@example.com/x')).toBe('http://[REDACTED]@example.com/x');
  });

  it('keeps a URL without query or credentials', () => {
    expect(redactUrl('https://example.com/a/b.png')).toBe('https://example.com/a/b.png');
  });
});

describe('redactValue', () => {
  it('redacts secret-named keys and secret-looking strings at any depth', () => {
    registerSecrets(SECRET);
    const out = redactValue({
      request: { headers: { Authorization: 'OSS x:y', 'x-oss-date': 'today' } },
      list: [`prefix ${SECRET}`, { accessKeySecret: 'abc', keep: 1 }],
      password: 'p',
      count: 3,
    });
    expect(out).toEqual({
      request: { headers: { Authorization: '[REDACTED]', 'x-oss-date': 'today' } },
      list: ['prefix [REDACTED]', { accessKeySecret: '[REDACTED]', keep: 1 }],
      password: '[REDACTED]',
      count: 3,
    });
  });
});

describe('redactValue with awkward values', () => {
  it('turns an Error into its redacted name, message and code', () => {
    const error = Object.assign(new Error(`denied for ${AK_ID}`), { code: 'E_DENIED' });
    expect(redactValue({ error })).toEqual({
      error: { name: 'Error', message: 'denied for [REDACTED]', code: 'E_DENIED' },
    });
  });

  it('marks a cycle instead of recursing forever', () => {
    const node: Record<string, unknown> = { name: 'n' };
    node.self = node;
    expect(redactValue(node)).toEqual({ name: 'n', self: '[Circular]' });
  });
});

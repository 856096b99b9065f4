import { describe, expect, it } from 'vitest';
import { checkPublicUrl, isHostListed, parseAllowedHosts } from '../../../src/net/url-policy.js';

describe('checkPublicUrl', () => {
  it.each([
    ['ftp://example.com/x', 'URL_SCHEME_NOT_ALLOWED'],
    ['file:///etc/passwd', 'URL_SCHEME_NOT_ALLOWED'],
    ['data:text/plain,hello', 'URL_SCHEME_NOT_ALLOWED'],
    ['gopher://example.com/', 'URL_SCHEME_NOT_ALLOWED'],
    ['javascript:alert(1)', 'URL_SCHEME_NOT_ALLOWED'],
    ['not a url', 'URL_INVALID'],
    ['http://user:pass@example.com/', 'URL_CREDENTIALS_NOT_ALLOWED'],
    ['http://user@example.com/', 'URL_CREDENTIALS_NOT_ALLOWED'],
    ['http://example.com:6379/', 'URL_PORT_NOT_ALLOWED'],
    ['https://example.com:8443/', 'URL_PORT_NOT_ALLOWED'],
    ['http://localhost/', 'SSRF_BLOCKED'],
    ['http://LOCALHOST./', 'SSRF_BLOCKED'],
    ['http://app.localhost/', 'SSRF_BLOCKED'],
    ['http://metadata.google.internal/', 'SSRF_BLOCKED'],
    ['http://printer.local/', 'SSRF_BLOCKED'],
    ['http://api/files/1', 'SSRF_BLOCKED'], // dot-less name: a search-domain (docker service) name
    ['http://127.0.0.1/', 'SSRF_BLOCKED'],
    ['http://[::1]/', 'SSRF_BLOCKED'],
    ['http://0.0.0.0/', 'SSRF_BLOCKED'],
    ['http://[::]/', 'SSRF_BLOCKED'],
  ])('refuses %s with %s', (url, code) => {
    expect(() => checkPublicUrl(url, [])).toThrow(expect.objectContaining({ code }));
  });

  it('never shows the password of a refused URL in the error', () => {
    expect.assertions(2);
    try {
      checkPublicUrl('http://alice:s3cretPassw0rd@example.com/', []);
    } catch (error) {
      expect(JSON.stringify((error as { details: unknown }).details)).not.toContain('s3cretPassw0rd');
      expect((error as Error).message).not.toContain('s3cretPassw0rd');
    }
  });

  it('accepts public http and https URLs on ports 80 and 443', () => {
    expect(checkPublicUrl('https://example.com/a.png', [])).toMatchObject({ host: 'example.com', port: 443 });
    expect(checkPublicUrl('http://example.com:80/a', [])).toMatchObject({ port: 80, listed: false });
  });

  it('refuses any host missing from a non-empty allow-list', () => {
    const allowed = parseAllowedHosts(['files.example.com']);
    expect(() => checkPublicUrl('https://example.com/', allowed)).toThrow(
      expect.objectContaining({ code: 'URL_HOST_NOT_ALLOWED' }),
    );
    expect(checkPublicUrl('https://FILES.example.com./x', allowed)).toMatchObject({ listed: true });
  });

  it('allows a listed loopback host:port on purpose, and only that port', () => {
    const allowed = parseAllowedHosts(['127.0.0.1:8080']);
    expect(checkPublicUrl('http://127.0.0.1:8080/x', allowed)).toMatchObject({ listed: true, port: 8080 });
    expect(() => checkPublicUrl('http://127.0.0.1:8081/x', allowed)).toThrow(
      expect.objectContaining({ code: 'URL_HOST_NOT_ALLOWED' }),
    );
  });
});

describe('parseAllowedHosts', () => {
  it('parses hosts, host:port and bracketed IPv6 entries', () => {
    expect(parseAllowedHosts(['Example.com', 'a.example.com:8080', '[::1]:9000', '[fd00::1]'])).toEqual([
      { host: 'example.com' },
      { host: 'a.example.com', port: 8080 },
      { host: '::1', port: 9000 },
      { host: 'fd00::1' },
    ]);
  });

  it('rejects an entry that is not a host or host:port', () => {
    expect(() => parseAllowedHosts(['http://x/'])).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(() => parseAllowedHosts(['x:99999'])).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('isHostListed', () => {
  it('matches a port-less entry on ports 80 and 443 only', () => {
    const allowed = parseAllowedHosts(['cdn.example.com']);
    expect(isHostListed('cdn.example.com', 443, allowed)).toBe(true);
    expect(isHostListed('cdn.example.com', 80, allowed)).toBe(true);
    expect(isHostListed('cdn.example.com', 8080, allowed)).toBe(false);
    expect(isHostListed('evil.cdn.example.com', 443, allowed)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../src/config/settings.js';
import { OssClient } from '../../../src/oss/client.js';
import { invokeTool } from '../../../src/tools/invoke.js';
import type { ToolMessage } from '../../../src/tools/tool-declaration.js';

// Signing is local: these settings point at hosts nothing listens on, so any request would fail.
function settings(extra: Record<string, unknown> = {}) {
  return parseSettings({
    access_key_id: 'LTAI-test-id',
    access_key_secret: 'test-secret-value',
    endpoint: 'oss-cn-hangzhou-internal.aliyuncs.com',
    bucket: 'bkt',
    ...extra,
  });
}

const FIXED_NOW = Date.parse('2026-03-01T08:00:00Z');

/** A client of the same bucket whose clock stands still, so two signatures can be compared. */
function frozenClient(): OssClient {
  return new OssClient({
    accessKeyId: 'LTAI-test-id',
    accessKeySecret: 'test-secret-value',
    endpoint: 'oss-cn-hangzhou-internal.aliyuncs.com',
    bucket: 'bkt',
    now: () => FIXED_NOW,
  });
}

async function sign(params: Record<string, unknown>, extra: Record<string, unknown> = {}, oss?: OssClient) {
  const messages: ToolMessage[] = [];
  const options = { face: 'mcp' as const, settings: settings(extra), ...(oss ? { oss } : {}) };
  for await (const message of invokeTool('sign_url', params, options)) {
    messages.push(message);
  }
  const json = messages.find((m) => m.type === 'json');
  if (json?.type !== 'json') throw new Error('no json');
  return { messages, json: json.json as Record<string, unknown> };
}

describe('sign_url', () => {
  it('signs a GET on the public twin of an -internal endpoint and reports when it expires', async () => {
    const before = Date.now();
    const { json, messages } = await sign({ object_key: 'reports/q3.pdf', expires: '600' });
    const url = new URL(json.url as string);
    expect(url.host).toBe('bkt.oss-cn-hangzhou.aliyuncs.com');
    expect(url.pathname).toBe('/reports/q3.pdf');
    expect(url.searchParams.get('x-oss-expires')).toBe('600');
    expect(url.searchParams.get('x-oss-signature')).toMatch(/^[0-9a-f]{64}$/);
    const expiresAt = Date.parse(json.expires_at as string);
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 600_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 600_000);
    expect(messages.map((m) => m.type)).toEqual(['text', 'json', 'link']);
  });

  it('puts the URL on the custom domain with the same signature as on the endpoint', async () => {
    const params = { object_key: 'a b/c.txt', expires: 60 };
    const plain = await sign(params, {}, frozenClient());
    const custom = await sign(params, { custom_domain: 'files.example.com' }, frozenClient());
    const url = new URL(custom.json.url as string);
    expect(url.origin).toBe('https://files.example.com');
    expect(url.pathname).toBe('/a%20b/c.txt');
    // V4 signs /bucket/key, not the host: the query (signature included) is the same on both hosts.
    expect(url.search).toBe(new URL(plain.json.url as string).search);
    expect(custom.json.expires_at).toBe('2026-03-01T08:01:00.000Z');
  });

  it('adds an RFC 5987 response-content-disposition for a non-ASCII download_filename', async () => {
    const { json } = await sign({ object_key: 'r/x.pdf', download_filename: '季度报告 v2.pdf' });
    const disposition = new URL(json.url as string).searchParams.get('response-content-disposition');
    expect(disposition).toBe(
      `attachment; filename="____ v2.pdf"; filename*=UTF-8''%E5%AD%A3%E5%BA%A6%E6%8A%A5%E5%91%8A%20v2.pdf`,
    );
  });

  it('lists the signed Content-Type and forbid-overwrite as headers a PUT uploader must send', async () => {
    const { json } = await sign({ object_key: 'in/photo.png', method: 'PUT', content_type: 'image/png' });
    expect(json).toMatchObject({
      method: 'PUT',
      required_headers: { 'Content-Type': 'image/png', 'x-oss-forbid-overwrite': 'true' },
    });
    const overwrite = await sign({ object_key: 'in/photo.png', method: 'PUT' }, { overwrite: 'overwrite' });
    expect(overwrite.json.required_headers).toEqual({});
  });

  it.each([
    [{ object_key: 'a', expires: 0 }, 'expires'],
    [{ object_key: 'a', expires: 604_801 }, 'expires'],
    [{ object_key: 'a', method: 'DELETE' }, 'method'],
    [{ object_key: 'a', method: 'GET', content_type: 'text/plain' }, 'content_type'],
    [{ object_key: 'a', method: 'PUT', download_filename: 'x.txt' }, 'download_filename'],
    [{ object_key: 'a', method: 'PUT', content_type: 'not a type' }, 'content_type'],
  ])('refuses %j with INVALID_ARGUMENT naming %s', async (params, parameter) => {
    await expect(sign(params)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: { parameter } });
  });

  it('refuses keys outside key_prefix_scope', async () => {
    await expect(sign({ object_key: '../b/x' }, { key_prefix_scope: 'a' })).rejects.toMatchObject({
      code: 'KEY_OUT_OF_SCOPE',
    });
    await expect(sign({ file_url: 'oss://bkt/b/x' }, { key_prefix_scope: 'a' })).rejects.toMatchObject({
      code: 'KEY_OUT_OF_SCOPE',
    });
  });
});

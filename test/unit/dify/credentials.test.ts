import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../src/config/settings.js';
import { credentialError, probeKey, validateCredentials } from '../../../src/dify/credentials.js';
import { AppError, type ErrorCode } from '../../../src/errors.js';

const settings = parseSettings({ key_prefix_scope: 'team/uploads' });
const signal = new AbortController().signal;
const failingWith = (code: ErrorCode) => async () => {
  throw new AppError(code, `raw ${code}`);
};

describe('probeKey', () => {
  it('puts a random key under the key prefix scope', () => {
    const a = probeKey(settings);
    expect(a).toMatch(/^team\/uploads\/\.dify-credential-check-[0-9a-f-]{36}$/);
    expect(probeKey(settings)).not.toBe(a);
    expect(probeKey(parseSettings({}))).toMatch(/^\.dify-credential-check-/);
    expect(probeKey(parseSettings({ key_prefix_scope: '/x/' }))).toMatch(/^x\/\.dify/);
  });
});

describe('validateCredentials', () => {
  it('resolves when the HEAD answers NoSuchKey (the keys work)', async () => {
    const keys: string[] = [];
    await validateCredentials(settings, {
      signal,
      probe: async (key) => {
        keys.push(key);
        throw new AppError('OSS_NO_SUCH_KEY');
      },
    });
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^team\/uploads\//);
  });

  it('resolves when the probed object happens to exist', async () => {
    await expect(validateCredentials(settings, { signal, probe: async () => ({}) })).resolves.toBeUndefined();
  });

  it.each([
    ['OSS_INVALID_ACCESS_KEY', 'AccessKey ID is wrong', 'AccessKey ID 错误'],
    ['OSS_SIGNATURE_MISMATCH', 'AccessKey Secret is wrong', 'AccessKey Secret 错误'],
    ['OSS_ACCESS_DENIED', 'lacks permission', '没有该 Bucket'],
    ['OSS_NO_SUCH_BUCKET', 'bucket does not exist', '不存在此 Bucket'],
    ['OSS_WRONG_ENDPOINT', 'another region', '其他地域'],
    ['OSS_PUBLIC_ENDPOINT_FORBIDDEN', 'PublicEndpointForbidden', '禁止公网'],
    ['DNS_LOOKUP_FAILED', 'does not resolve', '无法解析'],
    ['OSS_NETWORK_ERROR', 'cannot be reached', '无法连接'],
  ] as const)('rejects %s with an English and Chinese hint', async (code, en, zh) => {
    const run = validateCredentials(settings, { signal, probe: failingWith(code) });
    await expect(run).rejects.toMatchObject({ code });
    await expect(run).rejects.toThrow(new RegExp(`${en}.* / .*${zh}`));
  });

  it('reports a non-AppError as INTERNAL, not as the caller’s fault', async () => {
    const run = validateCredentials(settings, {
      signal,
      probe: async () => {
        throw new TypeError('bug');
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});

describe('credentialError', () => {
  it('falls back to the code table for codes without a hint', () => {
    const error = credentialError(new AppError('CONFIG_INVALID', 'Setting "region" is invalid'));
    expect(error.message).toBe('Setting "region" is invalid / 配置项无效。');
    expect(error.code).toBe('CONFIG_INVALID');
  });
});

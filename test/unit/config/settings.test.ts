import { describe, expect, it } from 'vitest';
import { ENV_NAMES, hasConnection, parseSettings, settingsFromEnv } from '../../../src/config/settings.js';

const FULL = {
  access_key_id: 'LTAIexample0000000000',
  access_key_secret: 'secret',
  endpoint: 'oss-cn-hangzhou.aliyuncs.com',
  bucket: 'b',
};

describe('parseSettings', () => {
  it('gives every default for an empty object', () => {
    expect(parseSettings({})).toMatchObject({
      timezone: 'UTC',
      overwrite: 'rename',
      max_files: 20,
      max_download_mb: 100,
      public_download_allowed_hosts: [],
      allow_delete: false,
      batch_concurrency: 4,
      mcp_embed_max_mb: 10,
    });
  });

  it('turns the empty strings and nulls Dify sends into defaults', () => {
    const settings = parseSettings({
      access_key_id: '',
      endpoint: '   ',
      bucket: null,
      timezone: '',
      overwrite: '',
      max_files: '',
      max_download_mb: null,
      public_download_allowed_hosts: '',
      allow_delete: '',
    });
    expect(settings).toMatchObject({
      timezone: 'UTC',
      overwrite: 'rename',
      max_files: 20,
      max_download_mb: 100,
    });
    expect(settings.access_key_id).toBeUndefined();
    expect(settings.endpoint).toBeUndefined();
    expect(settings.bucket).toBeUndefined();
    expect(settings.public_download_allowed_hosts).toEqual([]);
  });

  it.each([
    [{ max_files: '50' }, { max_files: 50 }],
    [{ max_files: ' 7 ' }, { max_files: 7 }],
    [{ max_download_mb: 250 }, { max_download_mb: 250 }],
    [{ batch_concurrency: '8' }, { batch_concurrency: 8 }],
    [{ allow_delete: 'true' }, { allow_delete: true }],
    [{ allow_delete: 'YES' }, { allow_delete: true }],
    [{ allow_delete: '0' }, { allow_delete: false }],
    [{ allow_delete: true }, { allow_delete: true }],
    [{ timezone: 'Asia/Shanghai' }, { timezone: 'Asia/Shanghai' }],
    [{ overwrite: 'fail' }, { overwrite: 'fail' }],
    [{ endpoint: '  oss-cn-beijing.aliyuncs.com  ' }, { endpoint: 'oss-cn-beijing.aliyuncs.com' }],
  ])('coerces %j', (raw, expected) => {
    expect(parseSettings(raw)).toMatchObject(expected);
  });

  it.each([
    [{ timezone: 'Mars/Olympus_Mons' }, 'timezone'],
    [{ overwrite: 'clobber' }, 'overwrite'],
    [{ max_files: 'many' }, 'max_files'],
    [{ max_files: '2.5' }, 'max_files'],
    [{ max_files: 0 }, 'max_files'],
    [{ max_files: 1001 }, 'max_files'],
    [{ batch_concurrency: 64 }, 'batch_concurrency'],
    [{ public_download_allowed_hosts: 'http://evil.example/' }, 'public_download_allowed_hosts'],
  ])('refuses %j with CONFIG_INVALID naming %s', (raw, field) => {
    expect(() => parseSettings(raw)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        details: { field: expect.stringMatching(new RegExp(`^${field}`)) },
        message: expect.stringContaining(field),
      }),
    );
  });

  it('splits the allowed host list on commas and spaces, lower-cased', () => {
    expect(
      parseSettings({ public_download_allowed_hosts: '127.0.0.1:8080, Files.Example.com\n[::1]:9000,,' })
        .public_download_allowed_hosts,
    ).toEqual(['127.0.0.1:8080', 'files.example.com', '[::1]:9000']);
  });

  it('accepts the overwrite policy in any case and with spaces', () => {
    expect(parseSettings({ overwrite: ' Rename ' }).overwrite).toBe('rename');
    expect(parseSettings({ overwrite: 'FAIL' }).overwrite).toBe('fail');
  });

  it('reads boolean words and refuses an unknown word instead of turning it into false', () => {
    expect(parseSettings({ allow_delete: 'Yes' }).allow_delete).toBe(true);
    expect(parseSettings({ allow_delete: 'off' }).allow_delete).toBe(false);
    expect(() => parseSettings({ allow_delete: 'maybe' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', details: { field: 'allow_delete' } }),
    );
  });

  it('names the list setting, not the index, when one allowed host is malformed', () => {
    expect(() => parseSettings({ public_download_allowed_hosts: 'ok.example.com, bad host/x' })).toThrow(
      expect.objectContaining({ details: { field: 'public_download_allowed_hosts' } }),
    );
  });
});

describe('settingsFromEnv', () => {
  it('reads the OSS_* connection names and OSS_DIFY_* settings', () => {
    const settings = settingsFromEnv({
      OSS_ACCESS_KEY_ID: 'LTAIexample0000000000',
      OSS_ACCESS_KEY_SECRET: 'the-secret',
      OSS_SESSION_TOKEN: 'sts-token-value',
      OSS_ENDPOINT: 'oss-cn-hangzhou.aliyuncs.com',
      OSS_BUCKET: 'my-bucket',
      OSS_REGION: 'cn-hangzhou',
      OSS_CUSTOM_DOMAIN: 'files.example.com',
      OSS_DIFY_TIMEZONE: 'Asia/Tokyo',
      OSS_DIFY_OVERWRITE: 'overwrite',
      OSS_DIFY_MAX_FILES: '5',
      OSS_DIFY_PUBLIC_DOWNLOAD_ALLOWED_HOSTS: 'cdn.example.com',
    });
    expect(settings).toMatchObject({
      access_key_id: 'LTAIexample0000000000',
      access_key_secret: 'the-secret',
      security_token: 'sts-token-value',
      bucket: 'my-bucket',
      region: 'cn-hangzhou',
      custom_domain: 'files.example.com',
      timezone: 'Asia/Tokyo',
      overwrite: 'overwrite',
      max_files: 5,
      public_download_allowed_hosts: ['cdn.example.com'],
    });
  });

  it('also accepts OSS_DIFY_<FIELD> for the connection settings', () => {
    expect(settingsFromEnv({ OSS_DIFY_BUCKET: 'alt-bucket' }).bucket).toBe('alt-bucket');
  });

  it('ignores unrelated variables and gives defaults for an empty environment', () => {
    expect(settingsFromEnv({ PATH: '/usr/bin', OSS_DIFY_UNKNOWN: 'x' })).toEqual(parseSettings({}));
  });

  it('names an OSS_DIFY_ variable for every non-connection setting', () => {
    for (const [field, name] of Object.entries(ENV_NAMES)) {
      expect(name.startsWith('OSS_DIFY_') || name.startsWith('OSS_'), field).toBe(true);
    }
    expect(ENV_NAMES.max_download_mb).toBe('OSS_DIFY_MAX_DOWNLOAD_MB');
  });

  it('refuses a bad environment value with CONFIG_INVALID', () => {
    expect(() => settingsFromEnv({ OSS_DIFY_MAX_DOWNLOAD_MB: 'lots' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', details: { field: 'max_download_mb' } }),
    );
  });
});

describe('hasConnection', () => {
  it('is true with all four connection fields and false with none', () => {
    expect(hasConnection(parseSettings(FULL))).toBe(true);
    expect(hasConnection(parseSettings({}))).toBe(false);
  });

  it.each([
    [{ access_key_id: 'LTAIexample0000000000' }, ['access_key_secret', 'endpoint', 'bucket']],
    [{ ...FULL, bucket: '' }, ['bucket']],
    [{ endpoint: 'e', bucket: 'b' }, ['access_key_id', 'access_key_secret']],
  ])('throws CONFIG_MISSING_CREDENTIALS listing what %j lacks', (raw, missing) => {
    expect(() => hasConnection(parseSettings(raw))).toThrow(
      expect.objectContaining({ code: 'CONFIG_MISSING_CREDENTIALS', details: { missing } }),
    );
  });

  it('does not put the secret it did get into the error', () => {
    expect.assertions(1);
    try {
      hasConnection(parseSettings({ access_key_secret: 'very-secret-value-123' }));
    } catch (error) {
      expect(
        JSON.stringify({ m: (error as Error).message, d: (error as { details: unknown }).details }),
      ).not.toContain('very-secret-value-123');
    }
  });
});

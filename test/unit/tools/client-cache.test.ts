import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../src/config/settings.js';
import { OssClient, type OssClientOptions } from '../../../src/oss/client.js';
import { OssClientCache } from '../../../src/tools/client-cache.js';
import { createToolContext } from '../../../src/tools/tool-context.js';

const BASE: OssClientOptions = {
  accessKeyId: 'cache-test-key-id',
  accessKeySecret: 'cache-test-secret-value',
  endpoint: 'oss-cn-hangzhou.aliyuncs.com',
  bucket: 'cache-bucket',
};

describe('OssClientCache', () => {
  it('returns the same client for equal connection options', () => {
    const cache = new OssClientCache();
    expect(cache.get({ ...BASE })).toBe(cache.get({ ...BASE }));
    expect(cache.size).toBe(1);
  });

  it('keeps clients apart when any connection option differs', () => {
    const cache = new OssClientCache();
    const first = cache.get(BASE);
    for (const change of [
      { accessKeySecret: 'another-secret-value' },
      { securityToken: 'sts-token-value-123' },
      { bucket: 'other-bucket' },
      { endpoint: 'oss-cn-shanghai.aliyuncs.com' },
    ]) {
      expect(cache.get({ ...BASE, ...change })).not.toBe(first);
    }
    expect(cache.size).toBe(5);
  });

  it('drops the least recently used client beyond its size', () => {
    const created: OssClientOptions[] = [];
    const cache = new OssClientCache(2, (options) => {
      created.push(options);
      return new OssClient(options);
    });
    const a = cache.get({ ...BASE, bucket: 'bucket-a' });
    cache.get({ ...BASE, bucket: 'bucket-b' });
    expect(cache.get({ ...BASE, bucket: 'bucket-a' })).toBe(a);
    cache.get({ ...BASE, bucket: 'bucket-c' });
    expect(cache.size).toBe(2);
    expect(cache.get({ ...BASE, bucket: 'bucket-a' })).toBe(a);
    cache.get({ ...BASE, bucket: 'bucket-b' });
    expect(created.map((options) => options.bucket)).toEqual([
      'bucket-a',
      'bucket-b',
      'bucket-c',
      'bucket-b',
    ]);
  });

  it('never shares a client built with a custom clock', () => {
    const cache = new OssClientCache();
    const now = (): number => 0;
    expect(cache.get({ ...BASE, now })).not.toBe(cache.get({ ...BASE, now }));
    expect(cache.size).toBe(0);
  });
});

describe('createToolContext', () => {
  it('reuses one OSS client across invocations with the same settings', async () => {
    const settings = parseSettings({
      access_key_id: 'ctx-cache-key-id',
      access_key_secret: 'ctx-cache-secret-value',
      endpoint: 'oss-cn-hangzhou.aliyuncs.com',
      bucket: 'ctx-cache-bucket',
    });
    const first = await createToolContext({ settings, face: 'dify' });
    const second = await createToolContext({ settings: { ...settings }, face: 'mcp' });
    expect(second.oss).toBe(first.oss);
  });
});

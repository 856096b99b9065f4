import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/config/logger.js';
import { clearSecrets, registerSecrets } from '../../../src/config/redact.js';

function sink(): { lines: string[]; write: (chunk: string) => boolean } {
  const lines: string[] = [];
  return {
    lines,
    write: (chunk: string) => {
      lines.push(chunk);
      return true;
    },
  };
}

afterEach(() => clearSecrets());

describe('createLogger', () => {
  it('writes one timestamped line per event with level and name', () => {
    const out = sink();
    createLogger({ sink: out, name: 'net', level: 'debug' }).info('downloaded', { bytes: 10 });
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+Z info \[net\] downloaded \{"bytes":10\}\n$/);
  });

  it('drops events below the level and everything when silent', () => {
    const out = sink();
    const logger = createLogger({ sink: out, level: 'warn' });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    createLogger({ sink: out, level: 'silent' }).error('never');
    expect(out.lines.map((line) => line.split(' ')[1])).toEqual(['warn', 'error']);
  });

  it('redacts registered secrets and secret patterns in messages and fields', () => {
    registerSecrets('my-registered-secret');
    const out = sink();
    const logger = createLogger({ sink: out, level: 'info' });
    logger.error('failed with my-registered-secret', {
      url: 'https://b.oss-cn-hangzhou.aliyuncs.com/k?x-oss-signature=deadbeef',
      headers: { authorization: 'OSS4-HMAC-SHA256 Credential=x,Signature=y' },
      body: '<StringToSign>PUT\n/b/k</StringToSign>',
      key: 'LTAI5tFakeAccessKey1234',
      error: Object.assign(new Error('boom my-registered-secret'), { code: 'E_X' }),
    });
    const line = out.lines.join('');
    for (const leaked of [
      'my-registered-secret',
      'deadbeef',
      'Signature=y',
      '/b/k',
      'LTAI5tFakeAccessKey1234',
    ]) {
      expect(line).not.toContain(leaked);
    }
    expect(line).toContain('"code":"E_X"');
  });

  it('survives fields that cannot be serialised', () => {
    const out = sink();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    createLogger({ sink: out, level: 'info' }).info('odd', { circular });
    expect(out.lines[0]).toContain('odd');
  });
});

describe('createLogger with errors', () => {
  it('keeps the (redacted) message of an Error field', () => {
    const out = sink();
    createLogger({ sink: out, level: 'info' }).warn('retrying', {
      error: new Error('socket hang up at https://h/k?Signature=abc'),
    });
    expect(out.lines[0]).toContain('socket hang up at https://h/k?Signature=[REDACTED]');
  });
});

import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { toTransferError } from '../../../src/net/transfer-errors.js';

const withCode = (code: string): Error => Object.assign(new Error(`undici says ${code}`), { code });
const url = 'https://example.com/x?[REDACTED]';

describe('toTransferError', () => {
  it.each([
    ['UND_ERR_CONNECT_TIMEOUT', 'headers', 'DOWNLOAD_TIMEOUT', { phase: 'connect' }],
    ['UND_ERR_HEADERS_TIMEOUT', 'headers', 'DOWNLOAD_TIMEOUT', { phase: 'headers' }],
    ['UND_ERR_BODY_TIMEOUT', 'body', 'DOWNLOAD_TIMEOUT', { phase: 'idle' }],
    ['ENOTFOUND', 'connect', 'DNS_LOOKUP_FAILED', {}],
    ['EAI_AGAIN', 'connect', 'DNS_LOOKUP_FAILED', {}],
    ['UND_ERR_SOCKET', 'body', 'DOWNLOAD_INCOMPLETE', { reason: 'UND_ERR_SOCKET' }],
    ['ECONNRESET', 'body', 'DOWNLOAD_INCOMPLETE', { reason: 'ECONNRESET' }],
    ['ECONNRESET', 'headers', 'DOWNLOAD_FAILED', { reason: 'ECONNRESET', phase: 'headers' }],
    ['ECONNREFUSED', 'connect', 'DOWNLOAD_FAILED', { reason: 'ECONNREFUSED' }],
  ] as const)('maps %s during %s to %s', (code, phase, expected, details) => {
    expect(toTransferError(withCode(code), { url, phase })).toMatchObject({
      code: expected,
      details: { url, ...details },
    });
  });

  it('reports the total deadline before anything the transport said', () => {
    expect(
      toTransferError(withCode('UND_ERR_ABORTED'), {
        url,
        phase: 'body',
        deadlineExceeded: true,
        totalTimeoutMs: 5,
      }),
    ).toMatchObject({ code: 'DOWNLOAD_TIMEOUT', details: { phase: 'total' } });
  });

  it('reports a caller abort as CANCELLED', () => {
    expect(
      toTransferError(withCode('UND_ERR_ABORTED'), { url, phase: 'headers', cancelled: true }),
    ).toMatchObject({
      code: 'CANCELLED',
    });
  });

  it('passes an AppError through unchanged', () => {
    const original = new AppError('SSRF_BLOCKED');
    expect(toTransferError(original, { url, phase: 'connect' })).toBe(original);
  });

  it('keeps the transport message out of the AppError message', () => {
    const error = toTransferError(new Error('connect to 10.0.0.1 with Authorization: OSS a:b'), {
      url,
      phase: 'connect',
    });
    expect(error.message).not.toContain('Authorization');
  });
});

import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { backoffDelayMs, decideRetry, delay, serverTimeOf } from '../../../src/oss/retry.js';

describe('backoffDelayMs', () => {
  it('grows the jitter ceiling exponentially up to the cap', () => {
    const max = () => 0.999999;
    expect(backoffDelayMs(1, 200, 20_000, max)).toBe(199);
    expect(backoffDelayMs(2, 200, 20_000, max)).toBe(399);
    expect(backoffDelayMs(4, 200, 20_000, max)).toBe(1599);
    expect(backoffDelayMs(20, 200, 20_000, max)).toBe(19_999);
  });

  it('can be zero (full jitter)', () => {
    expect(backoffDelayMs(3, 200, 20_000, () => 0)).toBe(0);
  });
});

describe('decideRetry', () => {
  const err = (code: ConstructorParameters<typeof AppError>[0], retryable?: boolean) =>
    new AppError(code, undefined, retryable === undefined ? {} : { retryable });

  it.each([
    ['OSS_SERVER_ERROR', true],
    ['OSS_THROTTLED', true],
    ['OSS_NETWORK_ERROR', true],
    ['OSS_CRC_MISMATCH', true],
    ['OSS_ACCESS_DENIED', false],
    ['OSS_SIGNATURE_MISMATCH', false],
    ['OSS_NO_SUCH_KEY', false],
    ['OSS_FILE_ALREADY_EXISTS', false],
    ['CANCELLED', false],
  ] as const)('retries %s: %s', (code, expected) => {
    expect(decideRetry(err(code), 1, 3).retry).toBe(expected);
  });

  it('stops at the last attempt', () => {
    expect(decideRetry(err('OSS_SERVER_ERROR'), 3, 3).retry).toBe(false);
  });

  it('does not retry a plain Error', () => {
    expect(decideRetry(new Error('x'), 1, 3).retry).toBe(false);
  });

  it('retries a skew error with the offset between server and local time', () => {
    expect(decideRetry(err('OSS_REQUEST_TIME_SKEWED'), 1, 3, 2_000_000, 800_000)).toEqual({
      retry: true,
      clockOffsetMs: 1_200_000,
    });
    expect(decideRetry(err('OSS_REQUEST_TIME_SKEWED'), 1, 3).retry).toBe(false);
  });
});

describe('serverTimeOf', () => {
  it('prefers ServerTime and falls back to the Date header', () => {
    expect(serverTimeOf('2024-01-01T00:00:00.000Z', 'Mon, 01 Jan 2024 01:00:00 GMT')).toBe(
      Date.UTC(2024, 0, 1),
    );
    expect(serverTimeOf(undefined, 'Mon, 01 Jan 2024 01:00:00 GMT')).toBe(Date.UTC(2024, 0, 1, 1));
    expect(serverTimeOf('junk', undefined)).toBeUndefined();
  });
});

describe('delay', () => {
  it('rejects with CANCELLED when the signal aborts', async () => {
    const controller = new AbortController();
    const waiting = delay(60_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

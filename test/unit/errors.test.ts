import { describe, expect, it } from 'vitest';
import { AppError, ERROR_CODES, isAppError, toAppError } from '../../src/errors.js';

describe('ERROR_CODES', () => {
  it.each(Object.entries(ERROR_CODES))(
    '%s has en and zh text, a retry flag and a domain-style name',
    (code, row) => {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(row.en).toMatch(/\S/);
      expect(row.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(typeof row.retryable).toBe('boolean');
    },
  );
});

describe('AppError', () => {
  it('takes its default message and retry flag from the table', () => {
    const error = new AppError('OSS_THROTTLED');
    expect(error).toMatchObject({
      code: 'OSS_THROTTLED',
      retryable: true,
      message: ERROR_CODES.OSS_THROTTLED.en,
    });
    expect(error.messageZh).toBe(ERROR_CODES.OSS_THROTTLED.zh);
  });

  it('lets one occurrence override the retry flag and keeps the cause', () => {
    const cause = new Error('socket hang up');
    const error = new AppError('OSS_SERVER_ERROR', 'boom', {
      retryable: false,
      cause,
      details: { status: 500 },
    });
    expect(error.retryable).toBe(false);
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ status: 500 });
  });
});

describe('isAppError', () => {
  it('recognises the shape, not the class, and rejects unknown codes', () => {
    expect(isAppError(new AppError('INTERNAL'))).toBe(true);
    expect(isAppError({ name: 'AppError', code: 'KEY_INVALID', message: 'x' })).toBe(true);
    expect(isAppError({ name: 'AppError', code: 'NOT_A_CODE' })).toBe(false);
    expect(isAppError(new Error('x'))).toBe(false);
  });
});

describe('toAppError', () => {
  it('maps an AbortError to CANCELLED and anything else to INTERNAL', () => {
    const abort = new Error('aborted');
    abort.name = 'AbortError';
    expect(toAppError(abort).code).toBe('CANCELLED');
    expect(toAppError(new TypeError('x')).code).toBe('INTERNAL');
    expect(toAppError('string').code).toBe('INTERNAL');
    const original = new AppError('FILE_TOO_LARGE');
    expect(toAppError(original)).toBe(original);
  });
});

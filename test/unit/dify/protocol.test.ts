import { describe, expect, it } from 'vitest';
import {
  blobChunk,
  decodeLine,
  encodeHeartbeat,
  encodeLine,
  encodeSession,
  errorPayload,
  findSessionId,
  LineDecoder,
  LineTooLongError,
} from '../../../src/dify/protocol.js';
import { AppError } from '../../../src/errors.js';

const texts = (lines: ReturnType<LineDecoder['push']>): string[] =>
  lines.map((l) => (l.kind === 'line' ? l.text : `<oversized ${l.bytes}>`));

describe('LineDecoder', () => {
  it('splits lines across chunk boundaries and skips empty lines', () => {
    const decoder = new LineDecoder();
    expect(texts(decoder.push(Buffer.from('{"a":1}\n\n{"b"')))).toEqual(['{"a":1}']);
    expect(texts(decoder.push(Buffer.from(':2}\r\n  \n')))).toEqual(['{"b":2}']);
    expect(texts(decoder.end())).toEqual([]);
  });

  it('keeps multi-byte characters split between chunks intact', () => {
    const decoder = new LineDecoder();
    const bytes = Buffer.from('{"t":"阿里云"}\n');
    expect(texts(decoder.push(bytes.subarray(0, 8)))).toEqual([]);
    expect(texts(decoder.push(bytes.subarray(8)))).toEqual(['{"t":"阿里云"}']);
  });

  it('flushes a last line without newline at end of input', () => {
    const decoder = new LineDecoder();
    decoder.push(Buffer.from('{"x":1}'));
    expect(texts(decoder.end())).toEqual(['{"x":1}']);
  });

  it('reports a line over the cap once with its head and keeps decoding after it', () => {
    const decoder = new LineDecoder(100);
    const head = '{"session_id":"s-big","data":"';
    const out = [
      ...decoder.push(Buffer.from(head + 'x'.repeat(80))),
      ...decoder.push(Buffer.from('y'.repeat(500))),
      ...decoder.push(Buffer.from('"}\n{"ok":true}\n')),
    ];
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ kind: 'oversized', bytes: head.length + 80 + 500 + 2 });
    expect(out[0]?.kind === 'oversized' && findSessionId(out[0].head)).toBe('s-big');
    expect(out[1]).toEqual({ kind: 'line', text: '{"ok":true}' });
  });

  it('accepts a line of exactly the cap', () => {
    const decoder = new LineDecoder(10);
    expect(texts(decoder.push(Buffer.from('0123456789\n')))).toEqual(['0123456789']);
    expect(texts(decoder.push(Buffer.from('0123456789A\n')))).toEqual(['<oversized 11>']);
  });
});

describe('decodeLine', () => {
  it('returns a request when event is request with a session id and data object', () => {
    const line = JSON.stringify({ session_id: 's1', event: 'request', app_id: null, data: { type: 'tool' } });
    expect(decodeLine(line)).toMatchObject({ kind: 'request', request: { session_id: 's1' } });
  });

  it.each([
    ['{"session_id":"s2","event":"request"', 'invalid', 's2'],
    ['{"session_id":"s3","event":"request","data":"x"}', 'invalid', 's3'],
    ['{"event":"request","data":{}}', 'invalid', null],
    ['[1,2]', 'invalid', null],
    ['{"session_id":"s4","event":"backwards_response","data":{}}', 'other', 's4'],
  ])('classifies %s as %s', (line, kind, sessionId) => {
    expect(decodeLine(line)).toMatchObject({ kind, sessionId });
  });

  it('treats a plain-text line as text (the daemon refusals)', () => {
    expect(decodeLine('handshake failed, invalid key')).toEqual({
      kind: 'text',
      text: 'handshake failed, invalid key',
    });
  });
});

describe('findSessionId', () => {
  it('reads escaped ids and ignores missing ones', () => {
    expect(findSessionId('{"session_id" : "a\\"b", broken')).toBe('a"b');
    expect(findSessionId('{"data":1}')).toBeNull();
  });
});

describe('encodeLine', () => {
  it('writes one JSON line ending in a single newline', () => {
    const line = encodeSession('s1', { type: 'end', data: {} });
    expect(line).toBe('{"event":"session","session_id":"s1","data":{"type":"end","data":{}}}\n');
    expect(encodeHeartbeat()).toBe('{"event":"heartbeat","session_id":null,"data":{}}\n');
  });

  it('encodes blob chunks exactly as JSON.stringify would, also with non-ASCII meta', () => {
    const chunk = blobChunk('id"1', 3, 9, Buffer.from('abc'), true, {
      mime_type: 'text/plain',
      filename: '报告 "a".txt',
    });
    const line = encodeSession('s"1', { type: 'stream', data: chunk });
    const expected = JSON.stringify({
      event: 'session',
      session_id: 's"1',
      data: { type: 'stream', data: chunk },
    });
    expect(line).toBe(`${expected}\n`);
    expect(() => encodeSession('s', { type: 'stream', data: chunk }, 50)).toThrow(LineTooLongError);
  });

  it('throws LineTooLongError past the byte cap counted in UTF-8', () => {
    expect(() => encodeLine({ t: '云'.repeat(10) }, 30)).toThrow(LineTooLongError);
    expect(encodeLine({ t: 'a'.repeat(10) }, 30)).toHaveLength(19);
  });
});

describe('errorPayload', () => {
  it('carries the code, at most 10 scalar args and the given error type', () => {
    const details = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]));
    const error = new AppError('OSS_ACCESS_DENIED', 'denied', { details: { ...details, nested: { a: 1 } } });
    const payload = errorPayload(error, 'denied', 'ToolProviderCredentialValidationError');
    expect(payload.error_type).toBe('ToolProviderCredentialValidationError');
    expect(payload.message).toBe('denied');
    expect(Object.keys(payload.args)).toHaveLength(10);
    expect(payload.args).toMatchObject({ code: 'OSS_ACCESS_DENIED', retryable: false, k0: 0 });
    expect(payload.args.message_zh).toContain('OSS');
  });

  it('uses the code as error type and cuts long messages', () => {
    const payload = errorPayload(new AppError('INTERNAL'), 'x'.repeat(10_000));
    expect(payload.error_type).toBe('INTERNAL');
    expect(payload.message.length).toBeLessThanOrEqual(4001);
  });
});

describe('blobChunk', () => {
  it('base64-encodes the raw bytes and copies meta', () => {
    const meta = { mime_type: 'text/plain', filename: 'a.txt' };
    const chunk = blobChunk('id1', 2, 5, Buffer.from('hello'), false, meta);
    expect(chunk).toEqual({
      type: 'blob_chunk',
      message: { id: 'id1', sequence: 2, total_length: 5, blob: 'aGVsbG8=', end: false },
      meta,
    });
    expect(chunk.meta).not.toBe(meta);
  });
});

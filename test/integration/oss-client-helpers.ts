// Shared set-up for the OssClient integration tests: an emulator on 127.0.0.1:0 with a movable clock,
// and a client pointed at it with fast retries.
import { createHash } from 'node:crypto';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { OssClient, type OssClientOptions } from '../../src/oss/client.js';

export const CREDENTIAL = { accessKeyId: 'itest-access-key', accessKeySecret: 'itest-secret-key-0123456789' };
export const BUCKET = 'test-bucket';

/** An emulator whose clock is `Date.now() + offsetMs`, settable by the test. */
export async function startTestEmulator(): Promise<{ emu: Emulator; clock: { offsetMs: number } }> {
  const clock = { offsetMs: 0 };
  const emu = await startEmulator({
    host: '127.0.0.1',
    port: 0,
    region: 'cn-hangzhou',
    buckets: [BUCKET],
    credentials: [CREDENTIAL],
    minPartSizeBytes: 100 * 1024,
    clock: () => Date.now() + clock.offsetMs,
  });
  return { emu, clock };
}

/** A client of the test bucket with quick retries (base 1 ms) unless overridden. */
export function clientFor(emu: Emulator, overrides: Partial<OssClientOptions> = {}): OssClient {
  return new OssClient({
    ...CREDENTIAL,
    endpoint: emu.endpoint,
    bucket: BUCKET,
    region: 'cn-hangzhou',
    retryBaseMs: 1,
    retryCapMs: 5,
    ...overrides,
  });
}

/** Deterministic pseudo-random bytes (xorshift), so big bodies need no fixture files. */
export function patternBytes(size: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    if (i % 4 === 0) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
    }
    out[i] = (x >>> ((i % 4) * 8)) & 0xff;
  }
  return out;
}

/** A stream of `total` bytes in `chunk`-sized pieces with no declared length. */
export async function* unknownLengthStream(total: number, chunk: number, seed = 1): AsyncGenerator<Buffer> {
  const block = patternBytes(chunk, seed);
  for (let sent = 0; sent < total; sent += chunk) yield block.subarray(0, Math.min(chunk, total - sent));
}

/** Reads a stream fully. */
export async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** MD5 hex of a buffer, to compare bodies without printing them. */
export function md5(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

/** How many requests of `op` the emulator logged. */
export function countOps(emu: Emulator, op: string, status?: number): number {
  return emu.requestLog.filter(
    (entry) => entry.op === op && (status === undefined || entry.status === status),
  ).length;
}

// Runs an emulator alone in its own process for the benchmarks (started by emulator-child.ts): prints its
// address as one JSON line, then answers JSON commands on stdin (put a generated object, set or clear a
// per-request delay) with one JSON line each. Exits when stdin ends.
import { createInterface } from 'node:readline';
import { startEmulator } from '../src/emulator/server.js';
import { OssClient } from '../src/oss/client.js';

const MIB = 1024 * 1024;
const CREDENTIAL = { accessKeyId: 'bench-access-key', accessKeySecret: 'bench-secret-key-0123456789' };
const BUCKET = 'bench-bucket';
const REGION = 'cn-hangzhou';

/** `size` pseudo-random bytes (xorshift MiB pattern): cheap to make, not compressible. */
function generated(size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = 0x2545f491;
  for (let i = 0; i + 4 <= Math.min(size, MIB); i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, i);
  }
  for (let at = MIB; at < size; at += MIB) out.copy(out, at, 0, Math.min(MIB, size - at));
  return out;
}

const emulator = await startEmulator({
  host: '127.0.0.1',
  port: 0,
  region: REGION,
  buckets: [BUCKET],
  credentials: [CREDENTIAL],
});
const client = new OssClient({ ...CREDENTIAL, endpoint: emulator.endpoint, bucket: BUCKET, region: REGION });
process.stdout.write(
  `${JSON.stringify({ endpoint: emulator.endpoint, bucket: BUCKET, region: REGION, ...CREDENTIAL })}\n`,
);

interface Command {
  op: 'put' | 'delay' | 'clear';
  key?: string;
  size?: number;
  ms?: number;
}

async function handle(command: Command): Promise<void> {
  if (command.op === 'put') await client.upload(command.key ?? 'object', generated(command.size ?? 0));
  else if (command.op === 'delay') {
    emulator.faults.clear();
    emulator.faults.add({ times: Number.POSITIVE_INFINITY, action: { type: 'delay', ms: command.ms ?? 0 } });
  } else emulator.faults.clear();
}

const input = createInterface({ input: process.stdin });
for await (const line of input) {
  try {
    await handle(JSON.parse(line) as Command);
    process.stdout.write('{"ok":true}\n');
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ ok: false, error: String(error) })}\n`);
  }
}
await client.close();
await emulator.close();

// Runs an emulator alone in its own process for the benchmarks (started by emulator-child.ts): prints its
// address as one JSON line, then answers JSON commands on stdin (put a generated object, set or clear a
// per-request delay) with one JSON line each. Exits when stdin ends.
import { rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { startEmulator } from '../src/emulator/server.js';
import { OssClient } from '../src/oss/client.js';
import { benchDataDir } from './data-dir.js';
import { randomBlock } from './random-block.js';

const MIB = 1024 * 1024;
const CREDENTIAL = { accessKeyId: 'bench-access-key', accessKeySecret: 'bench-secret-key-0123456789' };
const BUCKET = 'bench-bucket';
const REGION = 'cn-hangzhou';

/** `size` bytes: the benchmarks' pseudo-random MiB, repeated. */
function generated(size: number): Buffer {
  const block = randomBlock(0x2545f491);
  const out = Buffer.allocUnsafe(size);
  for (let at = 0; at < size; at += MIB) block.copy(out, at, 0, Math.min(MIB, size - at));
  return out;
}

const dataDir = await benchDataDir('bench-emulator');
const emulator = await startEmulator({
  dataDir,
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
await rm(dataDir, { recursive: true, force: true });

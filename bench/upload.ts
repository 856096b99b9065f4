// Upload benchmark (not a test): a generated stream and a temp file of BENCH_SIZE_MIB (default 1024) MiB
// go to an emulator running in its own process, uploaded by (a) our OssClient, (b) ali-oss multipartUpload
// 8 MiB x 4 (putStream for the stream source: ali-oss cannot multipart a stream), (c) one raw undici PUT
// with a single precomputed V4 signature and no CRC (the ceiling). Each client runs in its own child process
// so its peak RSS (getrusage maxRSS) is its own. Prints a table of MiB/s, peak RSS and the CPU seconds per
// GiB of the client and of the emulator, then the ours / ali-oss ratio of each round.
import { type ChildProcess, spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { OssClient as OssClientType } from '../src/oss/client.js';
import { benchDataDir } from './data-dir.js';
import { MEASURED_NODE_FLAGS } from './node-flags.js';
import { randomBlock } from './random-block.js';
import { type ClientName, printReport, type RunResult, type SourceName } from './upload-report.js';

const MIB = 1024 * 1024;
const SIZE_MIB = Number(process.env.BENCH_SIZE_MIB ?? 1024);
/** Only these clients, comma-separated (default all): raw-undici, ali-oss, ours. */
const ONLY = process.env.BENCH_CLIENTS?.split(',');
/** Runs per client and source (default 3), interleaved; the table shows the median run by MiB/s. */
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const CRED = { accessKeyId: 'bench-access-key', accessKeySecret: 'bench-secret-key-0123456789' };
const BUCKET = 'bench-bucket';
const REGION = 'cn-hangzhou';
const SELF = fileURLToPath(import.meta.url);

async function* generated(totalMiB: number): AsyncGenerator<Buffer> {
  const data = randomBlock(0x9e3779b9);
  for (let i = 0; i < totalMiB; i++) yield data;
}

function source(kind: SourceName, file: string): Readable {
  return kind === 'file'
    ? createReadStream(file, { highWaterMark: MIB })
    : Readable.from(generated(SIZE_MIB));
}

async function uploadWith(client: ClientName, kind: SourceName, endpoint: string, file: string, key: string) {
  const size = SIZE_MIB * MIB;
  // Each child imports only what its client needs, so peak RSS is the client's own.
  if (client === 'ours') {
    const { OssClient } = await import('../src/oss/client.js');
    const oss = new OssClient({ ...CRED, endpoint, bucket: BUCKET, region: REGION });
    await oss.upload(key, kind === 'file' ? { path: file } : generated(SIZE_MIB));
    await oss.close();
    return kind === 'file'
      ? 'upload({path}) 8 MiB x 4, CRC-64 on'
      : 'upload(stream, unknown length) 8 MiB x 4, CRC-64 on';
  }
  if (client === 'ali-oss') {
    const { default: OSS } = await import('ali-oss');
    const port = new URL(endpoint).port;
    const ali = new OSS({
      ...CRED,
      region: `oss-${REGION}`,
      bucket: BUCKET,
      endpoint: `http://localhost:${port}`,
      authorizationV4: true,
      timeout: 600_000,
      ...({ sldEnable: true } as object),
    });
    if (kind === 'file') {
      await ali.multipartUpload(key, file, { partSize: 8 * MIB, parallel: 4 });
      return 'multipartUpload(path) 8 MiB x 4, no CRC';
    }
    await ali.putStream(key, source('stream', file), {
      contentLength: size,
    } as import('ali-oss').PutStreamOptions);
    return 'putStream (single PUT; no stream multipart in ali-oss), no CRC';
  }
  const { request } = await import('undici');
  const { signV4Headers } = await import('../src/oss/signer.js');
  const url = new URL(endpoint);
  const signed = signV4Headers({
    method: 'PUT',
    bucket: BUCKET,
    key,
    query: {},
    headers: { 'content-length': String(size), 'content-type': 'application/octet-stream' },
    ...CRED,
    region: REGION,
    date: new Date(),
  });
  const response = await request(`${url.origin}/${BUCKET}/${key}`, {
    method: 'PUT',
    headers: signed.headers,
    body: source(kind, file),
    headersTimeout: 600_000,
    bodyTimeout: 600_000,
  });
  await response.body.dump();
  if (response.statusCode !== 200) throw new Error(`raw PUT status ${response.statusCode}`);
  return 'one PUT, one signature, no CRC (ceiling)';
}

async function child(): Promise<void> {
  const [client, kind, endpoint, file, key] = process.argv.slice(3) as [
    ClientName,
    SourceName,
    string,
    string,
    string,
  ];
  const started = performance.now();
  const note = await uploadWith(client, kind, endpoint, file, key);
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage();
  // The parent fills in the emulator's CPU: only it can read the emulator process.
  const result: RunResult = {
    client,
    source: kind,
    seconds,
    mibPerSecond: SIZE_MIB / seconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    cpuPerGiB: (user + system) / 1e6 / (SIZE_MIB / 1024),
    emulatorCpuPerGiB: Number.NaN,
    round: -1,
    note,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function emulatorProcess(): Promise<void> {
  const { startEmulator } = await import('../src/emulator/server.js');
  const dataDir = await benchDataDir('bench-upload-emulator');
  const emu = await startEmulator({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    region: REGION,
    buckets: [BUCKET],
    credentials: [CRED],
  });
  process.stdout.write(`${JSON.stringify({ endpoint: emu.endpoint })}\n`);
  process.on('SIGTERM', () => {
    void emu
      .close()
      .then(() => rm(dataDir, { recursive: true, force: true }))
      .then(() => process.exit(0));
  });
}

/**
 * The children run this file bundled by esbuild under plain node, as the product ships, so no tsx loader
 * inflates their RSS. The bundle sits under node_modules/.cache so `ali-oss` (external) still resolves.
 */
let bundled = SELF;

async function bundleSelf(): Promise<void> {
  const { build } = await import('esbuild');
  const outfile = join(dirname(SELF), '..', 'node_modules', '.cache', 'bench-upload', 'upload.mjs');
  await build({
    entryPoints: [SELF],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['ali-oss', 'esbuild'],
    logLevel: 'error',
    // CommonJS dependencies (mime-types, ali-oss) call require() for node built-ins.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  bundled = outfile;
}

function spawnSelf(args: string[]): ChildProcess {
  const argv = bundled === SELF ? ['--import', 'tsx', SELF] : [bundled];
  return spawn(process.execPath, [...MEASURED_NODE_FLAGS, ...argv, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

function firstLine(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const newline = buffered.indexOf('\n');
      if (newline >= 0) resolve(buffered.slice(0, newline));
    });
    proc.on('exit', (code) => reject(new Error(`child exited with ${code} before reporting`)));
  });
}

async function writeFileOf(path: string): Promise<void> {
  const handle = await open(path, 'w');
  const data = randomBlock(0x9e3779b9);
  for (let i = 0; i < SIZE_MIB; i++) await handle.write(data);
  await handle.close();
}

/** User + system CPU seconds a process has used so far, from /proc (NaN where there is none). */
async function cpuSecondsOf(pid: number | undefined): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (clock ticks).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-upload-'));
  const file = join(dir, 'source.bin');
  await writeFileOf(file);
  await bundleSelf();
  const emulator = spawnSelf(['--emulator']);
  const { endpoint } = JSON.parse(await firstLine(emulator)) as { endpoint: string };
  const { OssClient } = await import('../src/oss/client.js');
  const cleaner: OssClientType = new OssClient({ ...CRED, endpoint, bucket: BUCKET, region: REGION });
  const runs: RunResult[] = [];
  try {
    // Rounds interleave the clients, so a slow minute of the shared machine hits all of them alike, and
    // every other round reverses their order, so no client always runs right after another.
    const order: ClientName[] = ['raw-undici', 'ali-oss', 'ours'];
    for (let round = 0; round < REPEAT; round++) {
      for (const kind of ['stream', 'file'] as const) {
        for (const client of round % 2 === 0 ? order : [...order].reverse()) {
          if (ONLY && !ONLY.includes(client)) continue;
          const key = `bench/${client}-${kind}.bin`;
          const emulatorBefore = await cpuSecondsOf(emulator.pid);
          const run = spawnSelf(['--child', client, kind, endpoint, file, key]);
          const result = JSON.parse(await firstLine(run)) as RunResult;
          const emulatorUsed = (await cpuSecondsOf(emulator.pid)) - emulatorBefore;
          runs.push({ ...result, round, emulatorCpuPerGiB: emulatorUsed / (SIZE_MIB / 1024) });
          await cleaner.deleteObject(key);
        }
      }
    }
  } finally {
    await cleaner.close();
    emulator.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
  printReport(runs, { sizeMiB: SIZE_MIB, rounds: REPEAT, nodeFlags: MEASURED_NODE_FLAGS });
}

const mode = process.argv[2];
if (mode === '--child') await child();
else if (mode === '--emulator') await emulatorProcess();
else await main();

// Tools benchmark (not a test), issue #4: (1) upload_file of a BENCH_SIZE_MIB (default 512) MiB file
// served by a local HTTP server as a Dify file URL into the emulator, against the raw ceiling (one signed
// undici PUT of the same bytes, no CRC); (2) get_files_by_urls of 50 x 1 MiB objects at the default
// batch_concurrency (4) against a sequential run (1), on plain loopback and again with BENCH_DELAY_MS
// (default 20) of latency per request injected by the emulator, as a real network has. The emulator and
// every measured run live in their own child processes; measured runs execute this file bundled by esbuild
// with plain node (no tsx), so each peak RSS (getrusage maxRSS) is the tool's own. Prints one table.
import { type ChildProcess, spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { parseSettings } from '../src/config/settings.js';
import { OssClient } from '../src/oss/client.js';
import { signV4Headers } from '../src/oss/signer.js';
import { invokeTool } from '../src/tools/invoke.js';
import { MEASURED_NODE_FLAGS } from './node-flags.js';
import { randomBlock } from './random-block.js';

const MIB = 1024 * 1024;
const SIZE_MIB = Number(process.env.BENCH_SIZE_MIB ?? 512);
const BATCH_COUNT = Number(process.env.BENCH_BATCH_COUNT ?? 50);
const CRED = { accessKeyId: 'bench-access-key', accessKeySecret: 'bench-secret-key-0123456789' };
const BUCKET = 'bench-bucket';
const REGION = 'cn-hangzhou';
const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 20);
const SELF = fileURLToPath(import.meta.url);
/** The bundled copy of this file the measured children run (set by main). */
let childScript = SELF;

interface RunResult {
  name: string;
  seconds: number;
  bytes: number;
  peakRssMiB: number;
  /** CPU seconds (user + system) of the measured child during the run. */
  cpuSeconds: number;
}

function settingsFor(endpoint: string, extra: Record<string, unknown> = {}) {
  return parseSettings({
    access_key_id: CRED.accessKeyId,
    access_key_secret: CRED.accessKeySecret,
    endpoint,
    bucket: BUCKET,
    region: REGION,
    overwrite: 'overwrite',
    max_files: 1000,
    ...extra,
  });
}

async function rawPut(endpoint: string, file: string): Promise<number> {
  const size = (await stat(file)).size;
  const signed = signV4Headers({
    method: 'PUT',
    bucket: BUCKET,
    key: 'bench/raw.bin',
    query: {},
    headers: { 'content-length': String(size), 'content-type': 'application/octet-stream' },
    ...CRED,
    region: REGION,
    date: new Date(),
  });
  const response = await request(`${new URL(endpoint).origin}/${BUCKET}/bench/raw.bin`, {
    method: 'PUT',
    headers: signed.headers,
    body: createReadStream(file, { highWaterMark: MIB }),
    headersTimeout: 600_000,
    bodyTimeout: 600_000,
  });
  await response.body.dump();
  if (response.statusCode !== 200) throw new Error(`raw PUT status ${response.statusCode}`);
  return size;
}

/** The foundation's client alone on the same bytes (file stream, known size): what the tool adds to. */
async function clientUpload(endpoint: string, file: string): Promise<number> {
  const oss = new OssClient({ ...CRED, endpoint, bucket: BUCKET, region: REGION });
  const size = (await stat(file)).size;
  await oss.upload('bench/client.bin', createReadStream(file, { highWaterMark: MIB }), { size });
  await oss.close();
  return size;
}

async function uploadTool(endpoint: string, difyUrl: string): Promise<number> {
  const file = { dify_model_identity: '__dify__file__', url: difyUrl, filename: 'big.bin', mime_type: null };
  let size = 0;
  for await (const message of invokeTool(
    'upload_file',
    { file, directory: 'bench' },
    { settings: settingsFor(endpoint), face: 'dify' },
  )) {
    if (message.type === 'json') {
      size = (message.json as { files: Array<{ file_size_bytes: number }> }).files[0]?.file_size_bytes ?? 0;
    }
  }
  return size;
}

async function batchTool(endpoint: string, concurrency: number, count = BATCH_COUNT): Promise<number> {
  const urls = Array.from({ length: count }, (_, index) => `oss://${BUCKET}/batch/${index}.bin`);
  let bytes = 0;
  for await (const message of invokeTool(
    'get_files_by_urls',
    { file_urls: urls },
    { settings: settingsFor(endpoint, { batch_concurrency: concurrency }), face: 'dify' },
  )) {
    // Drained as a face would: each blob fully before the next message.
    if (message.type === 'blob') for await (const chunk of message.stream) bytes += (chunk as Buffer).length;
  }
  return bytes;
}

async function child(): Promise<void> {
  const [name, endpoint, argument] = process.argv.slice(3) as [string, string, string];
  // Batch runs measure a warm process, as a plugin serving many calls is (cold start is bench:dify's):
  // one small call first loads and JIT-compiles the download path for the sequential and parallel runs alike.
  if (name.startsWith('get_files_by_urls')) await batchTool(endpoint, Number(argument), 4);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const bytes =
    name === 'raw PUT (ceiling)'
      ? await rawPut(endpoint, argument)
      : name === 'OssClient.upload (stream)'
        ? await clientUpload(endpoint, argument)
        : name === 'upload_file'
          ? await uploadTool(endpoint, argument)
          : await batchTool(endpoint, Number(argument));
  const result: RunResult = {
    name,
    seconds: (performance.now() - started) / 1000,
    bytes,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    cpuSeconds: (({ user, system }) => (user + system) / 1e6)(process.cpuUsage(cpuBefore)),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function spawnChild(args: string[]): ChildProcess {
  return spawn(process.execPath, [...MEASURED_NODE_FLAGS, childScript, ...args], {
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

async function run(args: string[]): Promise<RunResult> {
  return JSON.parse(await firstLine(spawnChild(['--child', ...args]))) as RunResult;
}

async function main(): Promise<void> {
  // Imported by a non-literal name so that esbuild leaves them (and esbuild itself) out of the child bundle.
  const helpers = ['../src/dify/package.js', './emulator-child.js'] as const;
  const { bundlePlugin } = (await import(helpers[0])) as typeof import('../src/dify/package.js');
  const { spawnEmulator } = (await import(helpers[1])) as typeof import('./emulator-child.js');
  const dir = await mkdtemp(join(tmpdir(), 'bench-tools-'));
  const file = join(dir, 'source.bin');
  const handle = await open(file, 'w');
  const data = randomBlock(0x2545f491);
  for (let i = 0; i < SIZE_MIB; i++) await handle.write(data);
  await handle.close();
  // Plays Dify's FILES_URL: the file with its Content-Length, streamed from disk.
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': SIZE_MIB * MIB });
    createReadStream(file, { highWaterMark: MIB }).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const difyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/files/1/file-preview?sign=x`;
  childScript = (await bundlePlugin({ entry: SELF, outFile: join(dir, 'tools-bench.mjs') })).path;
  const emulator = await spawnEmulator();
  const { endpoint } = emulator;
  const results: RunResult[] = [];
  try {
    results.push(await run(['raw PUT (ceiling)', endpoint, file]));
    results.push(await run(['OssClient.upload (stream)', endpoint, file]));
    results.push(await run(['upload_file', endpoint, difyUrl]));
    for (let index = 0; index < BATCH_COUNT; index++) await emulator.put(`batch/${index}.bin`, MIB);
    results.push(await run(['get_files_by_urls x1 (sequential)', endpoint, '1']));
    results.push(await run(['get_files_by_urls x4', endpoint, '4']));
    await emulator.delay(DELAY_MS);
    results.push(await run([`get_files_by_urls x1 (sequential), +${DELAY_MS} ms/request`, endpoint, '1']));
    results.push(await run([`get_files_by_urls x4, +${DELAY_MS} ms/request`, endpoint, '4']));
  } finally {
    await emulator.stop();
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
  console.log(
    `\nTools benchmark, Node ${process.version}: ${SIZE_MIB} MiB upload, ${BATCH_COUNT} x 1 MiB batch\n`,
  );
  console.log('| run | seconds | MiB/s | child CPU s | peak RSS MiB |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of results) {
    const mib = r.bytes / MIB;
    console.log(
      `| ${r.name} | ${r.seconds.toFixed(2)} | ${(mib / r.seconds).toFixed(0)} | ${r.cpuSeconds.toFixed(2)} | ${r.peakRssMiB.toFixed(0)} |`,
    );
  }
  const [raw, client, tool, sequential, parallel, slowSequential, slowParallel] = results as RunResult[] as [
    RunResult,
    RunResult,
    RunResult,
    RunResult,
    RunResult,
    RunResult,
    RunResult,
  ];
  const ratio = raw.seconds / tool.seconds;
  console.log(
    `\nupload_file: ${(100 * ratio).toFixed(0)}% of the raw ceiling (target >= 80%), ${((100 * client.seconds) / tool.seconds).toFixed(0)}% of OssClient.upload alone, peak RSS ${tool.peakRssMiB.toFixed(0)} MiB (target <= 160)`,
  );
  console.log(
    `get_files_by_urls: ${(sequential.seconds / parallel.seconds).toFixed(2)}x faster than sequential on bare loopback (CPU-bound), ` +
      `${(slowSequential.seconds / slowParallel.seconds).toFixed(2)}x with ${DELAY_MS} ms per request (target >= 3x)`,
  );
}

const mode = process.argv[2];
if (mode === '--child') await child();
else await main();

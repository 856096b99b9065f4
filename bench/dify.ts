// Dify runtime benchmark (not a test), issue #5: the BUNDLE (dist JS run by plain node, no tsx) measured
// as the daemon sees it over stdio: (a) cold start to the first heartbeat, (b) invoke_tool round trips of
// get_file_by_url on a 1 KiB object, (c) a 30 MiB object streamed out as blob_chunks, with the plugin's
// peak RSS (VmHWM from /proc). The emulator runs in its own child process. Prints one table.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundlePlugin } from '../src/dify/package.js';
import { type EmulatorChild, spawnEmulator } from './emulator-child.js';
import { LineReader } from './line-reader.js';
import { MEASURED_NODE_FLAGS } from './node-flags.js';

const MIB = 1024 * 1024;
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 25);
const CALLS = Number(process.env.BENCH_CALLS ?? 1000);
const WARMUP_CALLS = 20;
const BLOB_WARMUP_CALLS = 5;
/** The Node that runs the plugin (e.g. the wheel's Node 24); default this one. */
const NODE = process.env.BENCH_NODE ?? process.execPath;
const BLOB_MIB = Number(process.env.BENCH_BLOB_MIB ?? 30);

/** A plugin child speaking stdio, with its event lines. */
interface Plugin {
  proc: ChildProcess;
  lines: LineReader;
  stop(): Promise<void>;
}

let compileCacheDir = '';

/**
 * Starts `node --liftoff-only <bundle>` as main.py does (same flags, see node-flags.ts; same
 * NODE_COMPILE_CACHE setting, which Node < 22.1 ignores).
 */
function startPlugin(bundle: string): Plugin {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() };
  const proc = spawn(NODE, [...MEASURED_NODE_FLAGS, bundle], {
    stdio: ['pipe', 'pipe', 'ignore'],
    env: compileCacheDir ? { ...env, NODE_COMPILE_CACHE: compileCacheDir } : env,
  });
  const lines = new LineReader(proc.stdout!);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc,
    lines,
    stop: async () => {
      proc.stdin?.end();
      await exited;
    },
  };
}

/** The floor under (a): spawn → first stdout line of a Node that loads nothing. */
async function bareNodeStarts(runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const proc = spawn(NODE, ['-e', 'process.stdout.write("up\\n")'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    await new LineReader(proc.stdout).next();
    times.push(performance.now() - started);
    await exited;
  }
  return times;
}

/** (a) spawn → first heartbeat line, in ms, for each of `runs` fresh processes. */
async function coldStarts(bundle: string, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const plugin = startPlugin(bundle);
    const first = await plugin.lines.next();
    times.push(performance.now() - started);
    if (!first.includes('"heartbeat"'))
      throw new Error(`first line is not a heartbeat: ${first.slice(0, 200)}`);
    await plugin.stop();
  }
  return times;
}

function invokeLine(sessionId: string, credentials: Record<string, string>, fileUrl: string): string {
  const envelope = {
    session_id: sessionId,
    conversation_id: null,
    message_id: null,
    app_id: null,
    endpoint_id: null,
    context: {},
    event: 'request',
    data: {
      user_id: 'bench',
      type: 'tool',
      action: 'invoke_tool',
      provider: 'aliyun_oss',
      tool: 'get_file_by_url',
      credentials,
      tool_parameters: { file_url: fileUrl },
    },
  };
  return `${JSON.stringify(envelope)}\n`;
}

const BLOB_FIELD = '"blob":"';

/** Outcome of one session as the daemon would merge it. */
interface SessionOutcome {
  blobBytes: number;
  error: string | null;
}

/** Reads lines until the session's `end`; decodes blob chunks (the work the daemon does too). */
async function awaitSession(lines: LineReader, sessionId: string): Promise<SessionOutcome> {
  let blobBytes = 0;
  let error: string | null = null;
  for (;;) {
    const line = await lines.next();
    if (!line.includes(sessionId)) continue;
    const blobAt = line.indexOf(BLOB_FIELD);
    if (blobAt !== -1 && line.includes('"type":"blob_chunk"')) {
      // Fast path, so the measuring side is not the bottleneck: the decoded size of the base64 field.
      const start = blobAt + BLOB_FIELD.length;
      const encoded = line.length - start - (line.length - line.indexOf('"', start));
      const padding = line[start + encoded - 1] === '=' ? (line[start + encoded - 2] === '=' ? 2 : 1) : 0;
      blobBytes += (encoded / 4) * 3 - padding;
      continue;
    }
    const event = JSON.parse(line) as { data: { type: string; data: Record<string, unknown> } };
    const message = event.data;
    if (message.type === 'end') return { blobBytes, error };
    if (message.type === 'error') error = JSON.stringify(message.data).slice(0, 300);
    const chunk = message.data as { type?: string; message?: { blob?: string } };
    if (chunk.type === 'blob_chunk' && chunk.message?.blob) {
      blobBytes += Buffer.from(chunk.message.blob, 'base64').length;
    }
  }
}

/** (b) sequential round trips (request written → `end` read), in ms, after a few warm-up calls. */
async function roundTrips(
  bundle: string,
  credentials: Record<string, string>,
  url: string,
): Promise<number[]> {
  const plugin = startPlugin(bundle);
  await plugin.lines.next(); // first heartbeat: ready
  const times: number[] = [];
  try {
    for (let call = 0; call < WARMUP_CALLS + CALLS; call++) {
      const id = `rt-${call}`;
      const started = performance.now();
      plugin.proc.stdin!.write(invokeLine(id, credentials, url));
      const outcome = await awaitSession(plugin.lines, id);
      const elapsed = performance.now() - started;
      if (outcome.error || outcome.blobBytes !== 1024) {
        throw new Error(`call ${call}: ${outcome.error ?? `${outcome.blobBytes} blob bytes`}`);
      }
      if (call >= WARMUP_CALLS) times.push(elapsed);
    }
  } finally {
    await plugin.stop();
  }
  return times;
}

/** Peak resident set of a live process (VmHWM, KiB → MiB). */
async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error('no VmHWM in /proc status');
  return Number(match[1]) / 1024;
}

/** CPU seconds (user + system) a live process has used, from /proc/<pid>/stat (clock ticks of 10 ms). */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** (c) one large object out as blob_chunks in a fresh plugin: seconds, CPU seconds and peak RSS. */
async function blobOut(
  bundle: string,
  credentials: Record<string, string>,
  url: string,
  warmUrl: string,
): Promise<{ seconds: number; cpu: number; bytes: number; peakMiB: number; idleMiB: number }> {
  const plugin = startPlugin(bundle);
  await plugin.lines.next();
  try {
    // Warm-up: the first call loads the lazy modules; the measure is the stream, not the start.
    for (let call = 0; call < BLOB_WARMUP_CALLS; call++) {
      plugin.proc.stdin!.write(invokeLine(`warm-${call}`, credentials, warmUrl));
      await awaitSession(plugin.lines, `warm-${call}`);
    }
    const idleMiB = await peakRssMiB(plugin.proc.pid!);
    const cpuBefore = await cpuSeconds(plugin.proc.pid!);
    const started = performance.now();
    plugin.proc.stdin!.write(invokeLine('blob', credentials, url));
    const outcome = await awaitSession(plugin.lines, 'blob');
    const seconds = (performance.now() - started) / 1000;
    if (outcome.error) throw new Error(outcome.error);
    const peakMiB = await peakRssMiB(plugin.proc.pid!);
    const cpu = (await cpuSeconds(plugin.proc.pid!)) - cpuBefore;
    return { seconds, cpu, bytes: outcome.blobBytes, peakMiB, idleMiB };
  } finally {
    await plugin.stop();
  }
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

function nodeVersion(): string {
  return NODE === process.execPath
    ? process.version
    : execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim();
}

const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-dify-'));
  const bundle = await bundlePlugin({ outFile: join(dir, 'main.mjs') });
  compileCacheDir = join(dir, 'compile-cache');
  let emulator: EmulatorChild | undefined;
  try {
    emulator = await spawnEmulator();
    await emulator.put('bench/one-kib.bin', 1024);
    await emulator.put('bench/thirty-mib.bin', BLOB_MIB * MIB);
    const credentials = emulator.credentials();
    const origin = emulator.endpoint;
    const bare = (await bareNodeStarts(COLD_RUNS)).sort((a, b) => a - b);
    const cold = (await coldStarts(bundle.path, COLD_RUNS)).sort((a, b) => a - b);
    const oneKiB = `${origin}/${emulator.bucket}/bench/one-kib.bin`;
    const trips = (
      await roundTrips(bundle.path, credentials, `${origin}/${emulator.bucket}/bench/one-kib.bin`)
    ).sort((a, b) => a - b);
    const blob = await blobOut(
      bundle.path,
      credentials,
      `${origin}/${emulator.bucket}/bench/thirty-mib.bin`,
      oneKiB,
    );
    if (blob.bytes !== BLOB_MIB * MIB) throw new Error(`blob was ${blob.bytes} bytes`);
    const coldMedian = percentile(cold, 50);
    const p50 = percentile(trips, 50);
    const p99 = percentile(trips, 99);
    const rate = blob.bytes / MIB / blob.seconds;
    console.log(
      `\nDify runtime benchmark, plugin on Node ${nodeVersion()}, bundle ${(bundle.size / 1024).toFixed(0)} KiB, ` +
        `plugin = node <bundle> over stdio, emulator in its own process\n`,
    );
    console.log('| measure | result | target | |');
    console.log('|---|---:|---:|---|');
    console.log(
      `| (a) cold start to first heartbeat, median of ${COLD_RUNS} (min ${cold[0]?.toFixed(0)}, max ${cold.at(-1)?.toFixed(0)}) | ${coldMedian.toFixed(0)} ms | <= 150 ms | ${verdict(coldMedian <= 150)} |`,
    );
    console.log(
      `| (a) for scale: bare \`node -e\` to its first line, median of ${COLD_RUNS} | ${percentile(bare, 50).toFixed(0)} ms | | |`,
    );
    console.log(
      `| (b) invoke_tool get_file_by_url 1 KiB, ${CALLS} sequential calls: p50 | ${p50.toFixed(2)} ms | <= 5 ms | ${verdict(p50 <= 5)} |`,
    );
    console.log(`| (b) same: p99 | ${p99.toFixed(2)} ms | <= 20 ms | ${verdict(p99 <= 20)} |`);
    console.log(
      `| (c) ${BLOB_MIB} MiB object out as blob_chunks after ${BLOB_WARMUP_CALLS} 1 KiB calls (${blob.seconds.toFixed(2)} s) | ${rate.toFixed(0)} MiB/s | >= 100 MiB/s | ${verdict(rate >= 100)} |`,
    );
    console.log(
      `| (c) same, per CPU-second of the plugin (${blob.cpu.toFixed(2)} s CPU): what one free core would give | ${(blob.bytes / MIB / blob.cpu).toFixed(0)} MiB/s | | |`,
    );
    console.log(
      `| (c) plugin peak RSS (VmHWM; ${blob.idleMiB.toFixed(0)} MiB after warm-up) | ${blob.peakMiB.toFixed(0)} MiB | <= 120 MiB | ${verdict(blob.peakMiB <= 120)} |`,
    );
  } finally {
    await emulator?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

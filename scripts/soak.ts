// Soak run (issue #7 part 4): mixed tool invocations over the plugin's real stdio, 8 sessions at a time,
// against an in-process emulator with seeded random faults and a local server playing Dify's FILES_URL.
// Checks: no crash, exactly one end per session, every successful upload byte-exact, no multipart upload
// left; prints outcomes by code, p50/p99 latency and the plugin's RSS. Exit code 1 when a check fails.
//   npm run soak        SOAK_INVOCATIONS (2000)  SOAK_SECONDS (180)  SOAK_SESSIONS (8)  SOAK_SEED (random)
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultAction, OpName } from '../src/emulator/faults.js';
import { DEFAULT_BUCKET, DEFAULT_CREDENTIAL, startEmulator } from '../src/emulator/server.js';
import { OssClient } from '../src/oss/client.js';
import { type Json, mergeBlobChunks, spawnPlugin } from '../test/conformance/driver.js';

const envInt = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const INVOCATIONS = envInt('SOAK_INVOCATIONS', 2000);
const SECONDS = envInt('SOAK_SECONDS', 180);
const SESSIONS = envInt('SOAK_SESSIONS', 8);
const SEED = envInt('SOAK_SEED', Math.floor(Math.random() * 2 ** 31));
/** Share of invocations before which a random fault rule is armed. */
const FAULT_RATE = 0.3;
const MIB = 1024 * 1024;

/** mulberry32: seeded, so a failing run can be replayed with SOAK_SEED. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** Bytes of a served file, derived from its id so nothing is kept in memory. */
function fileBytes(id: number, size: number): Buffer {
  const block = createHash('sha256').update(`soak-${SEED}-${id}`).digest();
  const out = Buffer.allocUnsafe(size);
  for (let at = 0; at < size; at += block.length) block.copy(out, at, 0, Math.min(block.length, size - at));
  return out;
}
const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

function memory(pid: number | undefined): { rssKiB: number; hwmKiB: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rssKiB: kib('VmRSS'), hwmKiB: kib('VmHWM') };
  } catch {
    return { rssKiB: 0, hwmKiB: 0 };
  }
}

const FAULTS: Array<() => { op?: OpName; times: number; action: FaultAction }> = [
  () => ({ times: 1, action: { type: 'status', status: 503, code: 'ServiceUnavailable' } }),
  () => ({ times: 2, action: { type: 'status', status: 500, code: 'InternalError' } }),
  () => ({ times: 1, action: { type: 'status', status: 429, code: 'Throttling' } }),
  () => ({
    op: pick(['PutObject', 'UploadPart'] as const),
    times: 1,
    action: { type: 'reset', afterBytes: 1 + Math.floor(random() * 20_000) },
  }),
  () => ({ op: 'GetObject', times: 1, action: { type: 'reset', afterBytes: Math.floor(random() * 30_000) } }),
  () => ({ times: 1, action: { type: 'delay', ms: 20 + Math.floor(random() * 300) } }),
  () => ({ times: 1, action: { type: 'skew', ms: pick([-1, 1]) * 20 * 60_000 } }),
  () => ({
    op: pick(['PutObject', 'UploadPart', 'CompleteMultipartUpload'] as const),
    times: 1,
    action: { type: 'corruptCrc' },
  }),
  () => ({ times: 1, action: { type: 'dropCrc' } }),
  () => ({
    op: pick(['PutObject', 'CompleteMultipartUpload', 'InitiateMultipartUpload', 'UploadPart'] as const),
    times: 1,
    action: { type: 'dropResponseAfterWrite' },
  }),
  () => ({ times: 1, action: { type: 'bandwidth', bytesPerSecond: 512 * 1024 } }),
];

/** The requests of `key` and the faults armed meanwhile, one line each, to replay an orphan by reading. */
function orphanStory(
  key: string,
  log: ReadonlyArray<{ key?: string; op: string; status: number; at: number; requestId: string }>,
  armed: ReadonlyArray<{ at: number; fault: string }>,
): string {
  const requests = log.filter((entry) => entry.key === key);
  const from = (requests[0]?.at ?? 0) - 1000;
  const to = requests.at(-1)?.at ?? 0;
  const lines = [
    ...requests.map((r) => ({ at: r.at, text: `${r.op} ${r.status} ${r.requestId}` })),
    ...armed.filter((a) => a.at >= from && a.at <= to).map((a) => ({ at: a.at, text: `armed ${a.fault}` })),
  ].sort((a, b) => a.at - b.at);
  return [`orphan ${key}:`, ...lines.map((l) => `  ${new Date(l.at).toISOString()} ${l.text}`)].join('\n');
}

async function main(): Promise<number> {
  console.log(`soak: seed ${SEED}, ${INVOCATIONS} invocations, ${SECONDS} s cap, ${SESSIONS} sessions`);
  const emulator = await startEmulator();
  const served = new Map<number, { size: number; chunked: boolean }>();
  const files = createServer((req, res) => {
    const id = Number(/^\/files\/(\d+)\/file-preview/.exec(req.url ?? '')?.[1]);
    const file = served.get(id);
    if (!file) return void res.writeHead(404).end();
    const body = fileBytes(id, file.size);
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      ...(file.chunked ? {} : { 'content-length': body.length }),
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  const filesOrigin = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  const credentials = {
    access_key_id: DEFAULT_CREDENTIAL.accessKeyId,
    access_key_secret: DEFAULT_CREDENTIAL.accessKeySecret,
    endpoint: emulator.endpoint,
    bucket: DEFAULT_BUCKET,
    region: emulator.region,
  };
  const plugin = spawnPlugin({ HEARTBEAT_INTERVAL: '5', OSS_DIFY_LOG_LEVEL: 'warn' });
  const { driver, child } = plugin;
  let exitedEarly = false;
  void plugin.exited.then(() => {
    exitedEarly = true;
  });
  await driver.waitFor((e) => e.event === 'heartbeat', 30_000, 'first heartbeat');
  const rssStart = memory(child.pid);

  let nextFile = 0;
  const difyFile = (): Json => {
    nextFile += 1;
    const big = random() < 0.01;
    const size = big ? 9 * MIB : pick([0, 1, 100, 8192, 50_000, 300_000]);
    served.set(nextFile, { size, chunked: big || random() < 0.3 });
    return {
      dify_model_identity: '__dify__file__',
      url: `${filesOrigin}/files/${nextFile}/file-preview?timestamp=1&nonce=n&sign=s`,
      filename: `f${nextFile}.bin`,
      mime_type: 'application/octet-stream',
      extension: '.bin',
      size,
      id: nextFile,
    };
  };
  /** Uploaded keys with the sha256 their source had: checked at the end, read back by get_file_by_url. */
  const uploaded = new Map<string, string>();
  const outcomes = new Map<string, number>();
  const latencies: number[] = [];
  const problems: string[] = [];
  const count = (label: string): void => void outcomes.set(label, (outcomes.get(label) ?? 0) + 1);

  /** Faults armed, with the server time, to explain a failed check afterwards. */
  const armed: Array<{ at: number; fault: string }> = [];
  async function invokeOne(n: number): Promise<void> {
    if (random() < FAULT_RATE) {
      const fault = pick(FAULTS)();
      armed.push({ at: Date.now(), fault: JSON.stringify(fault) });
      emulator.faults.add(fault);
    }
    const roll = random();
    const keys = [...uploaded.keys()];
    let tool: string;
    let parameters: Json = {};
    let sources: Json[] = [];
    if (roll < 0.5 || keys.length === 0) {
      tool = 'upload_file';
      sources = [difyFile()];
      parameters = { file: sources[0], directory: `soak/${n}` };
    } else if (roll < 0.65) {
      tool = 'multi_upload_files';
      sources = Array.from({ length: 2 + Math.floor(random() * 2) }, difyFile);
      parameters = { files: sources, directory: `soak/${n}` };
    } else if (roll < 0.8) {
      tool = 'get_file_by_url';
      parameters = { file_url: `oss://${DEFAULT_BUCKET}/${pick(keys)}` };
    } else if (roll < 0.9) {
      tool = 'list_objects';
      parameters = { prefix: 'soak/', max_keys: 50 };
    } else if (roll < 0.95) {
      tool = 'get_object_info';
      parameters = { object_key: pick(keys) };
    } else tool = 'validate_tool_credentials';
    const data =
      tool === 'validate_tool_credentials'
        ? { type: 'tool', action: tool, provider: 'aliyun_oss', credentials }
        : {
            type: 'tool',
            action: 'invoke_tool',
            provider: 'aliyun_oss',
            tool,
            credentials,
            tool_parameters: parameters,
          };
    const started = performance.now();
    const result = await driver.call(`soak-${n}`, data, 120_000);
    latencies.push(performance.now() - started);
    const json = result.streams.find((s: Json) => s.type === 'json')?.message.json_object;
    if (tool === 'upload_file' || tool === 'multi_upload_files') {
      for (const file of json?.files ?? []) {
        if (file.status !== 'success') continue;
        const source = sources.find((s) => s.filename === file.source_filename);
        if (!source) problems.push(`soak-${n}: success for an unknown source ${file.source_filename}`);
        else uploaded.set(file.object_key, sha256(fileBytes(source.id, source.size)));
      }
    }
    if (tool === 'get_file_by_url' && !result.error) {
      const [blob] = mergeBlobChunks(result.streams);
      if (!blob || sha256(blob.bytes) !== uploaded.get(parameters.file_url.split(`${DEFAULT_BUCKET}/`)[1])) {
        problems.push(`soak-${n}: get_file_by_url returned other bytes`);
      }
    }
    const code = result.error ? (result.error.args?.code ?? result.error.error_type) : 'ok';
    if (code === 'INTERNAL')
      problems.push(`soak-${n}: ${tool} failed with INTERNAL: ${result.error.message}`);
    count(`${tool} ${code}`);
  }

  const deadline = Date.now() + SECONDS * 1000;
  let issued = 0;
  await Promise.all(
    Array.from({ length: SESSIONS }, async () => {
      while (issued < INVOCATIONS && Date.now() < deadline && !exitedEarly) {
        issued += 1;
        await invokeOne(issued).catch((error: unknown) =>
          problems.push(`invocation failed: ${String(error)}`),
        );
      }
    }),
  );
  const rssEnd = memory(child.pid);
  emulator.faults.clear();

  const verifier = new OssClient({
    accessKeyId: credentials.access_key_id,
    accessKeySecret: credentials.access_key_secret,
    endpoint: emulator.endpoint,
    bucket: DEFAULT_BUCKET,
    region: emulator.region,
  });
  let verified = 0;
  for (const [key, expected] of uploaded) {
    const chunks: Buffer[] = [];
    for await (const chunk of (await verifier.getObject(key)).body) chunks.push(chunk as Buffer);
    if (sha256(Buffer.concat(chunks)) === expected) verified += 1;
    else problems.push(`${key}: stored bytes differ from the source`);
  }
  await verifier.close();
  const orphans = await emulator.listMultipartUploads(DEFAULT_BUCKET);
  if (orphans.length > 0) {
    problems.push(`${orphans.length} multipart uploads left: ${orphans.map((u) => u.key).join(', ')}`);
    for (const orphan of orphans) console.log(orphanStory(orphan.key, emulator.requestLog, armed));
  }
  if (exitedEarly) problems.push(`plugin exited during the run: ${plugin.stderr().slice(-2000)}`);
  problems.push(...driver.problems);
  child.stdin?.end();
  const exit = await Promise.race([plugin.exited, new Promise((r) => setTimeout(r, 15_000, null))]);
  if (exit === null) {
    problems.push('plugin did not exit after stdin closed');
    child.kill('SIGKILL');
  } else if ((exit as { code: number | null }).code !== 0)
    problems.push(`plugin exit ${JSON.stringify(exit)}`);
  files.close();
  await emulator.close();

  latencies.sort((a, b) => a - b);
  const quantile = (q: number): number =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  const summary = {
    seed: SEED,
    invocations: latencies.length,
    sessions: SESSIONS,
    seconds: Math.round((SECONDS * 1000 - Math.max(0, deadline - Date.now())) / 100) / 10,
    outcomes: Object.fromEntries([...outcomes].sort()),
    uploadsVerified: verified,
    orphanUploads: orphans.length,
    latencyMs: { p50: quantile(0.5), p99: quantile(0.99), max: Math.round(latencies.at(-1) ?? 0) },
    rssKiB: { start: rssStart.rssKiB, end: rssEnd.rssKiB, peak: rssEnd.hwmKiB },
    problems,
  };
  console.log(`seed ${SEED}: ${summary.invocations} invocations in ${summary.seconds} s`);
  for (const [label, n] of Object.entries(summary.outcomes))
    console.log(`  ${String(n).padStart(5)}  ${label}`);
  console.log(`uploads verified byte-exact: ${verified}; multipart uploads left: ${orphans.length}`);
  console.log(
    `latency p50 ${summary.latencyMs.p50} ms, p99 ${summary.latencyMs.p99} ms, max ${summary.latencyMs.max} ms`,
  );
  console.log(
    `plugin RSS start ${rssStart.rssKiB} KiB, end ${rssEnd.rssKiB} KiB, peak (VmHWM) ${rssEnd.hwmKiB} KiB`,
  );
  for (const problem of problems) console.log(`PROBLEM ${problem}`);
  console.log(`SOAK_RESULT ${JSON.stringify(summary)}`);
  return problems.length === 0 ? 0 : 1;
}

process.exitCode = await main();

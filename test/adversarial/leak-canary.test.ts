// The leak canary (issue #7 part 2, security-reliability.md §3.2, §B28): fake but well-formed STS
// credentials planted in the emulator and in every face's configuration; every tool runs through the Dify
// runtime (child process), the CLI and MCP over stdio, including failing calls; then every log line,
// tool output, error and stored emulator file is scanned. Signed-URL queries are the only place the
// AccessKey id and token may appear (see canary.ts); the secret may appear nowhere.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { spawnPlugin } from '../conformance/driver.js';
import { difyFile, type FileServer, startFileServer } from '../integration/tools-harness.js';
import { BIN, cleanEnv, runBin } from '../unit/cli/spawn-cli.js';
import {
  CANARY_ACCESS_KEY_ID,
  CANARY_SECRET,
  CANARY_STS_TOKEN,
  CANARY_WRONG_SECRET,
  collectSignedUrls,
  describeHits,
  type LeakHit,
  scanText,
} from './canary.js';

const BUCKET = 'canary-bucket';
let emulator: Emulator;
let files: FileServer;
let root: string;
const emulatorLog: string[] = [];
const hits: LeakHit[] = [];
const signedSeen: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'leak-canary-'));
  emulator = await startEmulator({
    dataDir: join(root, 'oss'),
    buckets: [BUCKET],
    credentials: [
      { accessKeyId: CANARY_ACCESS_KEY_ID, accessKeySecret: CANARY_SECRET, securityToken: CANARY_STS_TOKEN },
    ],
    log: (line) => emulatorLog.push(line),
  });
  files = await startFileServer();
  files.files.set('/files/abc/file-preview', { body: Buffer.from('canary upload body\n') });
});

afterAll(async () => {
  await files?.close();
  await emulator?.close();
  await rm(root, { recursive: true, force: true });
});

/** Scans one output value (JSON-like or text) with the signed URLs it documents itself. */
function scanOutput(value: unknown, where: string): void {
  const signed = collectSignedUrls(value);
  signedSeen.push(...signed);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  hits.push(...scanText(text, where, 'output', signed));
}

function credentials(over: Record<string, string> = {}): Record<string, string> {
  return {
    access_key_id: CANARY_ACCESS_KEY_ID,
    access_key_secret: CANARY_SECRET,
    security_token: CANARY_STS_TOKEN,
    endpoint: emulator.endpoint,
    bucket: BUCKET,
    region: emulator.region,
    allow_delete: 'true',
    public_download_allowed_hosts: files.host,
    ...over,
  };
}

function env(over: Record<string, string> = {}): NodeJS.ProcessEnv {
  return cleanEnv({
    OSS_ACCESS_KEY_ID: CANARY_ACCESS_KEY_ID,
    OSS_ACCESS_KEY_SECRET: CANARY_SECRET,
    OSS_SESSION_TOKEN: CANARY_STS_TOKEN,
    OSS_ENDPOINT: emulator.endpoint,
    OSS_BUCKET: BUCKET,
    OSS_REGION: emulator.region,
    OSS_DIFY_ALLOW_DELETE: 'true',
    OSS_DIFY_LOG_LEVEL: 'debug',
    ...over,
  });
}

/** Every tool, plus failing calls, as [tool, params] pairs (Dify parameter shapes). */
function difyCalls(): Array<[string, Record<string, unknown>, Record<string, string>?]> {
  const uploadFile = difyFile(files.url('/files/abc/file-preview?timestamp=1&nonce=2&sign=3'), 'up.txt');
  return [
    ['save_text', { content: 'canary text', directory: 'dify', filename: 'a.txt', signed: true }],
    ['upload_file', { file: uploadFile, directory: 'dify', signed: 'true', sign_expired: 600 }],
    ['multi_upload_files', { files: [uploadFile, difyFile('/files/relative', 'r.txt')], directory: 'dify' }],
    ['upload_from_url', { url: files.url('/files/abc/file-preview'), directory: 'dify', signed: true }],
    ['get_file_by_url', { file_url: `oss://${BUCKET}/dify/a.txt` }],
    ['get_files_by_urls', { file_urls: `oss://${BUCKET}/dify/a.txt;oss://${BUCKET}/missing.txt` }],
    ['get_public_file_by_url', { file_url: files.url('/files/abc/file-preview') }],
    ['get_public_file_by_url', { file_url: 'http://169.254.169.254/latest/meta-data/' }],
    ['list_objects', { prefix: 'dify/' }],
    ['get_object_info', { object_key: 'dify/a.txt' }],
    ['sign_url', { object_key: 'dify/a.txt', expires: 900 }],
    ['sign_url', { object_key: 'dify/a.txt', method: 'PUT', content_type: 'text/plain' }],
    ['copy_object', { object_key: 'dify/a.txt', directory: 'copies' }],
    ['delete_object', { object_key: 'copies/a.txt' }],
    ['sign_url', { object_key: 'a.txt', expires: 99_999_999 }],
    ['save_text', { content: 'x', directory: '/abs' }],
    ['save_text', { content: 'x', directory: 'wrong' }, { access_key_secret: CANARY_WRONG_SECRET }],
    [
      'save_text',
      { content: 'x', directory: 'wrong' },
      { security_token: `${CANARY_STS_TOKEN.slice(0, 40)}x` },
    ],
    ['get_object_info', { object_key: 'dify/a.txt' }, { access_key_id: 'LTAI5tNoSuchKey0000000000' }],
  ];
}

describe('scanText', () => {
  it('flags the canary raw, URL-encoded or base64, echoed signing material, and ids outside signed URLs', () => {
    const signed = `https://b.example/k?x-oss-credential=${CANARY_ACCESS_KEY_ID}%2F1&x-oss-signature=ab12`;
    const leaky = [
      `boom ${CANARY_SECRET}`,
      `token=${encodeURIComponent(CANARY_STS_TOKEN)}`,
      Buffer.from(CANARY_SECRET).toString('base64'),
      '<StringToSign>OSS4-HMAC-SHA256\n20261125</StringToSign>',
      `{"access_key_id_echo":"${CANARY_ACCESS_KEY_ID}"}`,
      `https://b.example/other?x-oss-credential=${CANARY_ACCESS_KEY_ID}`,
    ];
    for (const text of leaky) expect(scanText(text, 't', 'output', [signed]).length, text).toBeGreaterThan(0);
    expect(
      scanText(JSON.stringify({ signed_url: signed, text: `see ${signed}` }), 't', 'output', [signed]),
    ).toEqual([]);
    expect(scanText(signed, 't', 'log').length).toBeGreaterThan(0);
    expect(describeHits(scanText(`x ${CANARY_SECRET} y`, 'w', 'log'))).not.toContain(CANARY_SECRET);
  });
});

describe('leak canary', () => {
  it('finds no secret in the Dify runtime: outputs, errors, protocol lines and stderr', async () => {
    const plugin = spawnPlugin({ OSS_DIFY_LOG_LEVEL: 'debug' });
    try {
      const { driver } = plugin;
      let n = 0;
      const codes: string[] = [];
      for (const [tool, params, over] of difyCalls()) {
        n += 1;
        const result = await driver.call(`leak-${n}`, {
          type: 'tool',
          action: 'invoke_tool',
          provider: 'aliyun_oss',
          tool,
          credentials: credentials(over),
          tool_parameters: params,
        });
        codes.push(result.error ? String(result.error.args?.code ?? result.error.error_type) : 'ok');
        scanOutput(result.streams, `dify ${tool} #${n} output`);
        if (result.error) scanOutput(result.error, `dify ${tool} #${n} error`);
      }
      emulator.faults.add({
        op: 'HeadObject',
        action: { type: 'status', status: 403, code: 'AccessDenied' },
      });
      for (const over of [{}, { access_key_secret: CANARY_WRONG_SECRET }]) {
        n += 1;
        const check = await driver.call(`leak-${n}`, {
          type: 'tool',
          action: 'validate_tool_credentials',
          provider: 'aliyun_oss',
          credentials: credentials(over),
        });
        scanOutput(check, `dify validate #${n}`);
      }
      hits.push(...scanText(driver.textLines.join('\n'), 'dify non-JSON stdout', 'log'));
      // The run covered successes and each kind of failure, so the scan saw real error paths.
      // The run covered successes and each kind of failure, so the scan saw real error paths. A relative
      // Dify file URL fails the whole call in this face: it means Dify's FILES_URL is unset.
      expect(codes).toEqual([
        ...['ok', 'ok', 'FILE_URL_RELATIVE', 'ok', 'ok', 'ok', 'ok', 'URL_HOST_NOT_ALLOWED'],
        ...['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'INVALID_ARGUMENT', 'KEY_INVALID'],
        ...['OSS_SIGNATURE_MISMATCH', 'OSS_SECURITY_TOKEN_INVALID', 'OSS_INVALID_ACCESS_KEY'],
      ]);
      expect(codes.slice(-5)).toEqual([
        'INVALID_ARGUMENT',
        'KEY_INVALID',
        'OSS_SIGNATURE_MISMATCH',
        'OSS_SECURITY_TOKEN_INVALID',
        'OSS_INVALID_ACCESS_KEY',
      ]);
      expect(driver.problems).toEqual([]);
    } finally {
      plugin.child.stdin?.end();
      await plugin.exited;
    }
    hits.push(...scanText(plugin.stderr(), 'dify stderr (logs)', 'log'));
    expect(plugin.stderr().length).toBeGreaterThan(0);
    expect(hits, describeHits(hits)).toEqual([]);
  });

  it('finds no secret in the CLI: stdout and stderr of passing and failing runs', async () => {
    const cwd = await mkdtemp(join(root, 'cli-'));
    const runs: Array<[string[], NodeJS.ProcessEnv]> = [
      [['tool', 'save_text', '--content', 'cli', '--directory', 'cli', '--signed', 'true', '--json'], env()],
      [['tool', 'sign_url', '--object-key', 'cli/text.txt', '--json'], env()],
      [['tool', 'get_file_by_url', '--file-url', `oss://${BUCKET}/cli/text.txt`, '--json'], env()],
      [
        ['tool', 'save_text', '--content', 'x', '--directory', 'cli'],
        env({ OSS_ACCESS_KEY_SECRET: CANARY_WRONG_SECRET }),
      ],
      [
        ['tool', 'get_object_info', '--object-key', 'cli/text.txt'],
        env({ OSS_SESSION_TOKEN: 'CAISwrongToken1234567890' }),
      ],
    ];
    // The first run stores the object the others read; the rest run at once to save wall time.
    const [first, ...rest] = runs;
    const results = [await runBin(first?.[0] ?? [], cwd, first?.[1] ?? {})];
    results.push(...(await Promise.all(rest.map(([argv, e]) => runBin(argv, cwd, e)))));
    results.forEach((result, i) => {
      const where = `cli ${runs[i]?.[0].slice(0, 2).join(' ')} #${i}`;
      const lines = result.stdout.split('\n').filter((line) => line.trim().startsWith('{'));
      const parsed = lines.map((line) => JSON.parse(line) as unknown);
      const signed = collectSignedUrls(parsed);
      signedSeen.push(...signed);
      hits.push(...scanText(result.stdout, `${where} stdout`, 'output', signed));
      hits.push(...scanText(result.stderr, `${where} stderr`, 'log'));
    });
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 1, 1]);
    expect(results[3]?.stderr).toMatch(/OSS_SIGNATURE_MISMATCH/);
    expect(results[4]?.stderr).toMatch(/OSS_SECURITY_TOKEN_INVALID|OSS_ACCESS_DENIED/);
    for (const name of await readdir(cwd)) {
      hits.push(...scanText(await readFile(join(cwd, name), 'utf8'), `cli saved file ${name}`, 'artifact'));
    }
    expect(hits, describeHits(hits)).toEqual([]);
  });

  it('finds no secret over MCP stdio: results, errors and server stderr', async () => {
    const outputs: Array<[string, unknown]> = [];
    const stderrs: string[] = [];
    for (const secret of [CANARY_SECRET, CANARY_WRONG_SECRET]) {
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'mcp'],
        env: {
          ...getDefaultEnvironment(),
          ...(env({ OSS_ACCESS_KEY_SECRET: secret, OSS_DIFY_MCP_EMBED_MAX_MB: '0' }) as Record<
            string,
            string
          >),
        },
        cwd: root,
        stderr: 'pipe',
      });
      let stderr = '';
      transport.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      const client = new Client({ name: 'leak-canary', version: '1' });
      await client.connect(transport);
      const calls: Array<[string, Record<string, unknown>]> = [
        ['save_text', { content: 'mcp', directory: 'mcp', signed: true }],
        ['sign_url', { object_key: 'mcp/text.txt' }],
        ['get_file_by_url', { file_url: `oss://${BUCKET}/mcp/text.txt` }],
        ['get_object_info', { object_key: 'mcp/text.txt' }],
        ['sign_url', { object_key: 'mcp/text.txt', expires: 99_999_999, extra: 1 }],
      ];
      for (const [name, args] of calls) {
        outputs.push([
          `mcp ${name} (${secret === CANARY_SECRET ? 'good' : 'wrong'} secret)`,
          await client.callTool({ name, arguments: args }),
        ]);
      }
      await client.close();
      stderrs.push(stderr);
    }
    for (const [where, result] of outputs) scanOutput(result, where);
    for (const [i, stderr] of stderrs.entries()) hits.push(...scanText(stderr, `mcp stderr #${i}`, 'log'));
    expect(JSON.stringify(outputs[5]?.[1])).toMatch(/OSS_SIGNATURE_MISMATCH/);
    expect(hits, describeHits(hits)).toEqual([]);
  });

  it('finds no secret in the emulator request log or its stored files', async () => {
    const stack = [emulator.dataDir];
    let scanned = 0;
    while (stack.length > 0) {
      const dir = stack.pop() as string;
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) stack.push(path);
        else {
          scanned += 1;
          hits.push(
            ...scanText(
              await readFile(path, 'latin1'),
              `emulator file ${path.slice(root.length)}`,
              'artifact',
            ),
          );
        }
      }
    }
    hits.push(...scanText(emulatorLog.join('\n'), 'emulator log', 'log'));
    hits.push(...scanText(JSON.stringify(emulator.requestLog), 'emulator request log', 'log'));
    expect(scanned).toBeGreaterThan(3);
    expect(hits, describeHits(hits)).toEqual([]);
  });

  it('hands out signed URLs that still work (the canary did not redact them into uselessness)', async () => {
    const urls = signedSeen.filter(
      (url) => url.includes('x-oss-signature=') && !url.includes('x-oss-expires=604800'),
    );
    expect(urls.length).toBeGreaterThan(3);
    expect(
      urls.every(
        (url) => url.includes(encodeURIComponent(CANARY_STS_TOKEN)) || url.includes(CANARY_STS_TOKEN),
      ),
    ).toBe(true);
    const getUrl = urls.find((url) => url.includes('/dify/a.txt?')) as string;
    const status = await new Promise<number>((resolve, reject) =>
      get(getUrl, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject),
    );
    expect(status).toBe(200);
  });
});

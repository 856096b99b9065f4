// Every tool through the real `oss-dify` command (a child process) against an emulator this test
// starts on 127.0.0.1:0, and a local HTTP server for public downloads.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { cleanEnv, collect, jsonLines, runBin, startCli } from '../unit/cli/spawn-cli.js';

const CREDENTIAL = { accessKeyId: 'cli-test-key', accessKeySecret: 'cli-test-secret-not-real' };
const BUCKET = 'cli-bucket';
const CJK_NAME = '季度 报告 #1.bin';

let emulator: Emulator;
let publicServer: Server;
let publicPort: number;
let root: string;
let cwd: string;
let env: NodeJS.ProcessEnv;
let markSlowRequestSeen: () => void = () => {};
const slowRequestSeen = new Promise<void>((resolve) => {
  markSlowRequestSeen = resolve;
});
const payload = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31 + 7) % 256));
const publicBody = Buffer.from('public bytes 公开\n'.repeat(1000));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'cli-tools-'));
  cwd = join(root, 'work');
  mkdirSync(cwd);
  writeFileSync(join(cwd, CJK_NAME), payload);
  writeFileSync(join(cwd, 'a.txt'), 'first file\n');
  writeFileSync(join(cwd, 'b.json'), '{"second":true}\n');
  emulator = await startEmulator({
    port: 0,
    dataDir: join(root, 'oss'),
    buckets: [BUCKET],
    credentials: [CREDENTIAL],
  });
  env = cleanEnv({
    OSS_ACCESS_KEY_ID: CREDENTIAL.accessKeyId,
    OSS_ACCESS_KEY_SECRET: CREDENTIAL.accessKeySecret,
    OSS_ENDPOINT: emulator.endpoint,
    OSS_BUCKET: BUCKET,
    OSS_REGION: emulator.region,
  });
  publicServer = createServer((req, res) => {
    if (req.url === '/slow') {
      // Sends the headers and a first piece, then holds the body until the client goes away.
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': 50_000_000 });
      res.write(Buffer.alloc(64 * 1024));
      markSlowRequestSeen();
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': publicBody.length,
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent('公开 文件.txt')}`,
    });
    res.end(req.method === 'HEAD' ? undefined : publicBody);
  });
  await new Promise<void>((resolve) => publicServer.listen(0, '127.0.0.1', resolve));
  publicPort = (publicServer.address() as AddressInfo).port;
});

afterAll(async () => {
  publicServer.closeAllConnections();
  await new Promise((resolve) => publicServer.close(resolve));
  await emulator.close();
  rmSync(root, { recursive: true, force: true });
});

/** The `files[]` of an upload's JSON message. */
function uploadedFiles(stdout: string): Array<Record<string, unknown>> {
  const json = jsonLines(stdout).find((line) => line.type === 'json')?.json as {
    files: Array<Record<string, unknown>>;
  };
  return json.files;
}

describe('oss-dify tool (child process, emulator)', () => {
  let fileUrl: string;

  it('uploads a local file with a CJK, space and # name, and the bytes land in the bucket', async () => {
    const result = await runBin(
      ['tool', 'upload-file', '--file', CJK_NAME, '--directory', 'cli/in', '--json'],
      cwd,
      env,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = jsonLines(result.stdout);
    expect(lines.map((line) => line.type)).toEqual(['text', 'json']);
    const [file] = uploadedFiles(result.stdout);
    expect(file).toMatchObject({
      status: 'success',
      object_key: `cli/in/${CJK_NAME}`,
      file_size_bytes: payload.length,
    });
    fileUrl = String(file?.file_url);
    const stored = await emulator.listObjects(BUCKET, 'cli/in/');
    expect(stored.map((object) => [object.key, object.size])).toEqual([
      [`cli/in/${CJK_NAME}`, payload.length],
    ]);
  });

  it('uploads several files given comma-separated and repeated, one result each', async () => {
    const argv = [
      'tool',
      'multi_upload_files',
      '--files',
      'a.txt,b.json',
      '--files',
      CJK_NAME,
      '--directory',
      'cli/multi',
    ];
    const result = await runBin([...argv, '--json'], cwd, env);
    expect(result.code).toBe(0);
    const files = uploadedFiles(result.stdout);
    expect(files.map((file) => [file.object_key, file.status])).toEqual([
      ['cli/multi/a.txt', 'success'],
      ['cli/multi/b.json', 'success'],
      [`cli/multi/${CJK_NAME}`, 'success'],
    ]);
  });

  it('downloads by URL into --out, byte-exact, and reports the saved path', async () => {
    const result = await runBin(
      ['tool', 'get-file-by-url', '--file-url', fileUrl, '--json', '--out', 'dl'],
      cwd,
      env,
    );
    expect(result.code).toBe(0);
    const blob = jsonLines(result.stdout).find((line) => line.type === 'blob');
    expect(blob).toMatchObject({ path: join(cwd, 'dl', CJK_NAME), size: payload.length, filename: CJK_NAME });
    expect(readFileSync(join(cwd, 'dl', CJK_NAME)).equals(payload)).toBe(true);
  });

  it('prints human lines by default and never overwrites an earlier download', async () => {
    const result = await runBin(['tool', 'get_file_by_url', '--file-url', fileUrl, '--out', 'dl'], cwd, env);
    expect(result.code).toBe(0);
    const saved = join(cwd, 'dl', '季度 报告 #1-1.bin');
    expect(result.stdout).toContain(`saved ${saved} (${payload.length} bytes, `);
    expect(readFileSync(saved).equals(payload)).toBe(true);
  });

  it('downloads several URLs given separated by semicolons', async () => {
    const urls = [`oss://${BUCKET}/cli/multi/a.txt`, `oss://${BUCKET}/cli/multi/b.json`].join(';');
    const result = await runBin(
      ['tool', 'get-files-by-urls', '--file-urls', urls, '--json', '--out', 'many'],
      cwd,
      env,
    );
    expect(result.code).toBe(0);
    const blobs = jsonLines(result.stdout).filter((line) => line.type === 'blob');
    expect(blobs.map((blob) => blob.filename).sort()).toEqual(['a.txt', 'b.json']);
    expect(readFileSync(join(cwd, 'many', 'a.txt'), 'utf8')).toBe('first file\n');
    expect(readFileSync(join(cwd, 'many', 'b.json'), 'utf8')).toBe('{"second":true}\n');
  });

  it('downloads a public file from an allow-listed local server, byte-exact', async () => {
    const allowed = { ...env, OSS_DIFY_PUBLIC_DOWNLOAD_ALLOWED_HOSTS: `127.0.0.1:${publicPort}` };
    const url = `http://127.0.0.1:${publicPort}/files/x`;
    const result = await runBin(
      ['tool', 'get-public-file-by-url', '--file-url', url, '--json', '--out', 'pub'],
      cwd,
      allowed,
    );
    expect(result.code).toBe(0);
    const blob = jsonLines(result.stdout).find((line) => line.type === 'blob');
    expect(blob).toMatchObject({ path: join(cwd, 'pub', '公开 文件.txt'), size: publicBody.length });
    expect(readFileSync(join(cwd, 'pub', '公开 文件.txt')).equals(publicBody)).toBe(true);
  });

  it('refuses the same local server without the allow-list: exit 1, one error line, no file', async () => {
    const url = `http://127.0.0.1:${publicPort}/files/x`;
    const result = await runBin(
      ['tool', 'get-public-file-by-url', '--file-url', url, '--out', 'blocked'],
      cwd,
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error (SSRF_BLOCKED|URL_PORT_NOT_ALLOWED): [^\n]+\n$/);
    expect(existsSync(join(cwd, 'blocked'))).toBe(false);
  });

  it('exits 1 with URL_NOT_IN_BUCKET for a URL outside the bucket, and 2 for a missing flag', async () => {
    const foreign = await runBin(
      ['tool', 'get-file-by-url', '--file-url', 'https://example.com/a.txt'],
      cwd,
      env,
    );
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(/^error URL_NOT_IN_BUCKET: /);
    const missing = await runBin(['tool', 'upload-file', '--file', 'a.txt'], cwd, env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--directory <text>' not specified");
  });

  it('stops a running download on Ctrl-C with exit 130, CANCELLED and no partial file', async () => {
    const allowed = { ...env, OSS_DIFY_PUBLIC_DOWNLOAD_ALLOWED_HOSTS: `127.0.0.1:${publicPort}` };
    const url = `http://127.0.0.1:${publicPort}/slow`;
    const child = startCli(
      ['tool', 'get-public-file-by-url', '--file-url', url, '--out', 'cancelled'],
      cwd,
      allowed,
    );
    const done = collect(child);
    await slowRequestSeen;
    // The text line comes just before the blob, so the download is streaming into the file by now.
    await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/^error CANCELLED: /m);
    expect(existsSync(join(cwd, 'cancelled')) ? readdirSync(join(cwd, 'cancelled')) : []).toEqual([]);
  });
});

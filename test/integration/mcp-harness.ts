// Shared setup of the MCP integration tests: the emulator, a local "public" HTTP server (reached only
// through the public_download_allowed_hosts allow-list), settings pointing at both, and MCP helpers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { parseSettings, type Settings } from '../../src/config/settings.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';

/** Bytes with every value, so encoding mistakes show up. */
export function patternBytes(length: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i += 1) bytes[i] = (i * 31 + seed) % 256;
  return bytes;
}

/** Files the public server offers, by path. */
export const PUBLIC_FILES: Record<string, { bytes: Buffer; type: string }> = {
  '/files/report.pdf': {
    bytes: Buffer.concat([Buffer.from('%PDF-1.7\n'), patternBytes(3000)]),
    type: 'application/pdf',
  },
  '/files/photo.png': {
    bytes: Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), patternBytes(5000, 7)]),
    type: 'image/png',
  },
};

/** A running emulator, public server and matching settings. */
export interface Harness {
  emulator: Emulator;
  settings: Settings;
  publicUrl: string;
  close(): Promise<void>;
}

/** Starts the emulator and the public server on 127.0.0.1 port 0. */
export async function startHarness(overrides: Record<string, unknown> = {}): Promise<Harness> {
  const emulator = await startEmulator({ buckets: ['dify-oss'] });
  const server: Server = createServer((req, res) => {
    const file = PUBLIC_FILES[req.url ?? ''];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'content-length': String(file.bytes.length) });
    res.end(file.bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const credential = emulator.credentials[0]!;
  const settings = parseSettings({
    access_key_id: credential.accessKeyId,
    access_key_secret: credential.accessKeySecret,
    endpoint: emulator.endpoint,
    bucket: 'dify-oss',
    region: emulator.region,
    public_download_allowed_hosts: `127.0.0.1:${port}`,
    ...overrides,
  });
  return {
    emulator,
    settings,
    publicUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
    },
  };
}

/** The environment variables that make a child process use the harness's settings. */
export function harnessEnv(harness: Harness): Record<string, string> {
  const credential = harness.emulator.credentials[0]!;
  return {
    OSS_ACCESS_KEY_ID: credential.accessKeyId,
    OSS_ACCESS_KEY_SECRET: credential.accessKeySecret,
    OSS_ENDPOINT: harness.emulator.endpoint,
    OSS_BUCKET: 'dify-oss',
    OSS_REGION: harness.emulator.region,
    OSS_DIFY_PUBLIC_DOWNLOAD_ALLOWED_HOSTS: harness.publicUrl.replace('http://', ''),
  };
}

type Block = CallToolResult['content'][number];

/** The bytes of every embedded resource of a result, in order. */
export function embeddedBlobs(result: CallToolResult): Buffer[] {
  return result.content
    .filter((block): block is Extract<Block, { type: 'resource' }> => block.type === 'resource')
    .map((block) => Buffer.from('blob' in block.resource ? String(block.resource.blob) : '', 'base64'));
}

/** All text blocks of a result joined, for error assertions. */
export function allText(result: CallToolResult): string {
  return result.content
    .filter((block): block is Extract<Block, { type: 'text' }> => block.type === 'text')
    .map((block) => block.text)
    .join('\n');
}

/** The first `files[]` entry of an upload result's structuredContent. */
export function firstFile(result: CallToolResult): Record<string, unknown> {
  const files = result.structuredContent?.files;
  if (!Array.isArray(files) || files.length === 0) throw new Error(`no files in ${JSON.stringify(result)}`);
  return files[0] as Record<string, unknown>;
}

// `oss-dify mcp` as a real child process, driven by the MCP SDK's StdioClientTransport.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TOOL_REGISTRY } from '../../src/tools/registry.js';
import {
  allText,
  embeddedBlobs,
  firstFile,
  type Harness,
  harnessEnv,
  patternBytes,
  startHarness,
} from './mcp-harness.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'oss-dify.js');
let harness: Harness;
let root: string;
const clients: Client[] = [];

beforeAll(async () => {
  harness = await startHarness();
  root = await mkdtemp(join(tmpdir(), 'mcp-stdio-'));
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
});

afterAll(async () => {
  await harness?.close();
  await rm(root, { recursive: true, force: true });
});

/** Spawns `oss-dify mcp` and connects; stderr is collected so tests can see what went there. */
async function spawnMcp(
  env: Record<string, string>,
  cwd: string,
): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp'],
    env: { ...getDefaultEnvironment(), ...env },
    cwd,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client({ name: 'stdio-test', version: '1' });
  await client.connect(transport);
  clients.push(client);
  return { client, stderr: () => stderr };
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

describe('oss-dify mcp (stdio)', () => {
  it('lists the registry tools and uploads a local file from under the allowed root only', async () => {
    const inside = join(root, 'allowed');
    await mkdir(inside, { recursive: true });
    const bytes = patternBytes(12_345);
    await writeFile(join(inside, 'notes.bin'), bytes);
    const outside = join(root, 'secret.txt');
    await writeFile(outside, 'not for MCP');
    const { client } = await spawnMcp({ ...harnessEnv(harness), OSS_DIFY_LOCAL_PATH_ROOT: inside }, root);

    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(TOOL_REGISTRY.map((tool) => tool.name));

    const uploaded = await call(client, 'upload_file', {
      file: { path: join(inside, 'notes.bin') },
      directory: 'stdio',
    });
    expect(uploaded.isError).toBeFalsy();
    const file = firstFile(uploaded);
    expect(file.object_key).toBe('stdio/notes.bin');

    const refused = await call(client, 'upload_file', { file: { path: outside }, directory: 'stdio' });
    expect(refused.isError).toBe(true);
    expect(allText(refused)).toMatch(/^PATH_NOT_ALLOWED: /m);

    const downloaded = await call(client, 'get_file_by_url', { file_url: file.file_url });
    expect(embeddedBlobs(downloaded)).toEqual([bytes]);
  });

  it('uses the embedded emulator in ./.oss-data when no credentials are set, and says so on stderr', async () => {
    const cwd = await mkdtemp(join(root, 'embedded-'));
    const { client, stderr } = await spawnMcp({}, cwd);
    const result = await call(client, 'upload_file', {
      file: { content_base64: Buffer.from('embedded').toString('base64'), filename: 'e.txt' },
      directory: 'local',
    });
    expect(result.isError).toBeFalsy();
    expect(await readdir(join(cwd, '.oss-data'))).not.toHaveLength(0);
    expect(stderr()).toMatch(/embedded emulator/);
  });
});

// The five real tools over Streamable HTTP, driven by the MCP SDK's own client, against the emulator.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type McpHttpServer, startMcpHttpServer } from '../../src/mcp/http.js';
import { TOOL_REGISTRY } from '../../src/tools/registry.js';
import {
  allText,
  embeddedBlobs,
  firstFile,
  type Harness,
  PUBLIC_FILES,
  patternBytes,
  startHarness,
} from './mcp-harness.js';

const TOKEN = 'integration-token-5b7e';
let harness: Harness;
let server: McpHttpServer;
let client: Client;

function transport(headers: Record<string, string>): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(new URL(server.mcpUrl), { requestInit: { headers } });
}

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

function base64File(bytes: Buffer, filename: string): Record<string, string> {
  return { content_base64: bytes.toString('base64'), filename };
}

beforeAll(async () => {
  harness = await startHarness({ mcp_embed_max_mb: 1 });
  server = await startMcpHttpServer({ settings: harness.settings, token: TOKEN, port: 0 });
  client = new Client({ name: 'integration', version: '1' });
  await client.connect(transport({ authorization: `Bearer ${TOKEN}` }));
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  await harness?.close();
});

describe('MCP over Streamable HTTP against the emulator', () => {
  it('lists every registry tool, the original five included, with their annotations', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(TOOL_REGISTRY.map((tool) => tool.name));
    expect(names).toEqual(
      expect.arrayContaining([
        'upload_file',
        'multi_upload_files',
        'get_file_by_url',
        'get_files_by_urls',
        'get_public_file_by_url',
      ]),
    );
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    expect(byName.get_file_by_url?.annotations?.readOnlyHint).toBe(true);
    expect(byName.get_public_file_by_url?.annotations?.openWorldHint).toBe(true);
    expect(byName.upload_file?.annotations?.destructiveHint).toBe(false);
    expect(byName.upload_file?.inputSchema.additionalProperties).toBe(false);
  });

  it('uploads base64 content with upload_file and reads it back embedded with get_file_by_url', async () => {
    const bytes = patternBytes(20_000);
    const uploaded = await call('upload_file', {
      file: base64File(bytes, '季度 report #1.bin'),
      directory: 'mcp',
    });
    expect(uploaded.isError).toBeFalsy();
    const file = firstFile(uploaded);
    expect(file.object_key).toBe('mcp/季度 report #1.bin');
    const stored = await harness.emulator.listObjects('dify-oss', 'mcp/');
    expect(stored.map((object) => object.key)).toContain('mcp/季度 report #1.bin');
    const downloaded = await call('get_file_by_url', { file_url: file.file_url });
    expect(downloaded.isError).toBeFalsy();
    expect(embeddedBlobs(downloaded)).toEqual([bytes]);
    expect(downloaded.structuredContent).toMatchObject({ key: 'mcp/季度 report #1.bin', size: bytes.length });
  });

  it('uploads two files from base64 and an allowed URL with multi_upload_files', async () => {
    const result = await call('multi_upload_files', {
      files: [
        base64File(Buffer.from('first'), 'one.txt'),
        { file_url: `${harness.publicUrl}/files/report.pdf` },
      ],
      directory: 'batch',
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ success_count: 2, error_count: 0 });
    const keys = (await harness.emulator.listObjects('dify-oss', 'batch/')).map((object) => object.key);
    expect(keys.sort()).toEqual(['batch/one.txt', 'batch/report.pdf']);
  });

  it('downloads several objects with get_files_by_urls as embedded resources', async () => {
    const a = patternBytes(1000, 3);
    const b = patternBytes(2000, 5);
    const urls: string[] = [];
    for (const [bytes, name] of [
      [a, 'a.bin'],
      [b, 'b.bin'],
    ] as const) {
      const up = await call('upload_file', { file: base64File(bytes, name), directory: 'many' });
      urls.push(String(firstFile(up).file_url));
    }
    const result = await call('get_files_by_urls', { file_urls: urls.join(';') });
    expect(result.isError).toBeFalsy();
    expect(embeddedBlobs(result)).toEqual([a, b]);
  });

  it('fetches a public file from an allowed host with get_public_file_by_url', async () => {
    const result = await call('get_public_file_by_url', { file_url: `${harness.publicUrl}/files/photo.png` });
    expect(result.isError).toBeFalsy();
    expect(embeddedBlobs(result)).toEqual([PUBLIC_FILES['/files/photo.png']!.bytes]);
  });

  it('gives a presigned link instead of bytes for a download above the embed cap', async () => {
    const big = patternBytes(1024 * 1024 + 10, 9);
    const up = await call('upload_file', { file: base64File(big, 'big.bin'), directory: 'large' });
    const url = String(firstFile(up).file_url);
    const result = await call('get_file_by_url', { file_url: url });
    expect(result.isError).toBeFalsy();
    expect(embeddedBlobs(result)).toEqual([]);
    const link = result.content.find((block) => block.type === 'resource_link');
    expect(link).toMatchObject({ name: 'big.bin', size: big.length });
    const response = await fetch(String((link as { uri: string }).uri));
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(big)).toBe(true);
  });

  it('answers invalid parameters with an isError result that names the parameter', async () => {
    const missing = await call('upload_file', { file: base64File(Buffer.from('x'), 'x.txt') });
    expect(missing.isError).toBe(true);
    expect(allText(missing)).toMatch(/directory/);
    const outOfRange = await call('upload_file', {
      file: base64File(Buffer.from('x'), 'x.txt'),
      directory: 'd',
      sign_expired: 99_999_999,
    });
    expect(outOfRange.isError).toBe(true);
    expect(allText(outOfRange)).toMatch(/sign_expired/);
  });

  it('answers a tool failure with its error code', async () => {
    const result = await call('get_file_by_url', {
      file_url: 'https://other-bucket.oss-cn-hangzhou.aliyuncs.com/x',
    });
    expect(result.isError).toBe(true);
    expect(allText(result)).toMatch(/^URL_NOT_IN_BUCKET: /);
  });

  it('refuses a client with a wrong token (401) or a foreign Origin (403)', async () => {
    const wrong = new Client({ name: 'wrong', version: '1' });
    await expect(wrong.connect(transport({ authorization: 'Bearer nope' }))).rejects.toMatchObject({
      code: 401,
    });
    const foreign = new Client({ name: 'foreign', version: '1' });
    await expect(
      foreign.connect(transport({ authorization: `Bearer ${TOKEN}`, origin: 'http://evil.example' })),
    ).rejects.toMatchObject({ code: 403 });
  });
});

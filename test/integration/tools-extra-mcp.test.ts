// The issue #8 tools over MCP Streamable HTTP with the SDK's own client, which checks each result's
// structuredContent against the tool's declared outputSchema: the schemas must match what handlers yield.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type McpHttpServer, startMcpHttpServer } from '../../src/mcp/http.js';
import { allText, firstFile, type Harness, PUBLIC_FILES, startHarness } from './mcp-harness.js';

const TOKEN = 'extra-tools-token-91c2';
let harness: Harness;
let server: McpHttpServer;
let client: Client;

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

beforeAll(async () => {
  harness = await startHarness();
  server = await startMcpHttpServer({ settings: harness.settings, token: TOKEN, port: 0 });
  client = new Client({ name: 'extra-tools', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(server.mcpUrl), {
      requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
    }),
  );
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  await harness?.close();
});

describe('issue #8 tools over MCP', () => {
  it('declares read-only, destructive and open-world hints that match what each tool does', async () => {
    const { tools } = await client.listTools();
    const hints = Object.fromEntries(tools.map((tool) => [tool.name, tool.annotations]));
    expect(hints.list_objects).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(hints.get_object_info).toMatchObject({ readOnlyHint: true });
    expect(hints.delete_object).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(hints.upload_from_url).toMatchObject({ openWorldHint: true });
    for (const name of [
      'save_text',
      'list_objects',
      'get_object_info',
      'sign_url',
      'copy_object',
      'delete_object',
    ]) {
      expect(tools.find((tool) => tool.name === name)?.outputSchema, name).toBeDefined();
    }
  });

  it('returns structured results that pass their output schemas, from save_text to copy_object', async () => {
    const saved = await call('save_text', {
      content: '{"rows": 3}',
      directory: 'mcp',
      filename: 'rows.json',
    });
    expect(saved.isError).toBeFalsy();
    expect(firstFile(saved)).toMatchObject({
      object_key: 'mcp/rows.json',
      content_type: 'application/json; charset=utf-8',
    });

    const fetched = await call('upload_from_url', {
      url: `${harness.publicUrl}/files/report.pdf`,
      directory: 'mcp',
    });
    expect(fetched.isError, allText(fetched)).toBeFalsy();
    expect(firstFile(fetched)).toMatchObject({
      object_key: 'mcp/report.pdf',
      file_size_bytes: PUBLIC_FILES['/files/report.pdf']!.bytes.length,
    });

    const listed = await call('list_objects', { prefix: 'mcp/', max_keys: 1 });
    expect(listed.structuredContent).toMatchObject({ key_count: 1, is_truncated: true });
    const next = await call('list_objects', {
      prefix: 'mcp/',
      continuation_token: listed.structuredContent?.next_continuation_token,
    });
    expect(((next.structuredContent?.objects ?? []) as Array<{ key: string }>).map((o) => o.key)).toEqual([
      'mcp/rows.json',
    ]);

    const info = await call('get_object_info', { object_key: 'mcp/report.pdf' });
    expect(info.structuredContent).toMatchObject({ content_type: 'application/pdf', user_metadata: {} });

    const signed = await call('sign_url', { object_key: 'mcp/report.pdf', expires: 60 });
    expect(signed.structuredContent).toMatchObject({ method: 'GET', expires_in: 60, required_headers: {} });
    expect((await fetch(signed.structuredContent?.url as string)).status).toBe(200);

    const copied = await call('copy_object', { object_key: 'mcp/report.pdf', directory: 'mcp-copy' });
    expect(copied.structuredContent).toMatchObject({ object_key: 'mcp-copy/report.pdf', multipart: false });
  });

  it('reports DELETE_DISABLED as a tool error while deletion is off', async () => {
    const result = await call('delete_object', { object_key: 'mcp/rows.json' });
    expect(result.isError).toBe(true);
    expect(allText(result)).toContain('DELETE_DISABLED');
    expect(await harness.emulator.listObjects('dify-oss', 'mcp/rows.json')).toHaveLength(1);
  });
});

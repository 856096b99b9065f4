import { once } from 'node:events';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseSettings } from '../../../src/config/settings.js';
import { buildOutputSchema, createMcpServer } from '../../../src/mcp/server.js';
import type { AnyToolDeclaration } from '../../../src/tools/registry.js';
import type { ToolContext } from '../../../src/tools/tool-context.js';
import type { ToolMessage } from '../../../src/tools/tool-declaration.js';
import { createFakeToolkit, type FakeToolkit } from './fake-tools.js';

const opened: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of opened.splice(0)) await close();
});

async function connect(kit: FakeToolkit, transport: 'stdio' | 'http', embedMb = 10): Promise<Client> {
  const settings = parseSettings({ mcp_embed_max_mb: embedMb });
  const server = createMcpServer({ settings, tools: kit.tools, transport });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(clientSide);
  opened.push(async () => {
    await client.close();
    await server.close();
  });
  return client;
}

describe('createMcpServer', () => {
  it('lists every tool with strict input schemas, output schemas and annotations', async () => {
    const client = await connect(createFakeToolkit(), 'stdio');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['upload_file', 'get_file_by_url']);
    const upload = tools[0]!;
    expect(upload.title).toBe('Upload File');
    expect(upload.annotations).toMatchObject({ destructiveHint: false, readOnlyHint: false });
    expect(upload.inputSchema.additionalProperties).toBe(false);
    expect(upload.inputSchema.required).toEqual(['file', 'directory']);
    expect(upload.outputSchema?.properties).toHaveProperty('object_key');
    expect(tools[1]!.annotations).toMatchObject({ readOnlyHint: true });
  });

  it('runs a tool with base64 content and returns text plus structuredContent', async () => {
    const kit = createFakeToolkit();
    const client = await connect(kit, 'http');
    const result = await client.callTool({
      name: 'upload_file',
      arguments: {
        file: { content_base64: Buffer.from('hello').toString('base64'), filename: 'a.txt' },
        directory: 'd',
      },
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ status: 'success', object_key: 'd/a.txt', size: 5 });
    expect(result.content).toContainEqual({ type: 'text', text: 'File uploaded: d/a.txt' });
    expect(kit.bucket.get('d/a.txt')?.bytes.toString()).toBe('hello');
    expect(kit.calls[0]?.params.file).toEqual({ kind: 'base64', data: 'aGVsbG8=', filename: 'a.txt' });
  });

  it('returns an isError result naming the parameter when arguments are invalid', async () => {
    const kit = createFakeToolkit();
    const client = await connect(kit, 'http');
    const result = await client.callTool({
      name: 'upload_file',
      arguments: { file: { file_url: 'https://example.com/a' }, directory: 'd', sign_expired: 99999999 },
    });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/sign_expired/);
    expect(kit.calls).toEqual([]);
  });

  it('rejects unknown fields instead of dropping them', async () => {
    const kit = createFakeToolkit();
    const client = await connect(kit, 'stdio');
    const result = await client.callTool({
      name: 'get_file_by_url',
      arguments: { file_url: 'oss://b/k', extra: 1 },
    });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/extra/);
    expect(kit.calls).toEqual([]);
  });

  it('refuses a local path over HTTP but passes it on over stdio', async () => {
    const kit = createFakeToolkit();
    const overHttp = await connect(kit, 'http');
    const refused = await overHttp.callTool({
      name: 'upload_file',
      arguments: { file: { path: '/etc/hostname' }, directory: 'd' },
    });
    expect(refused.isError).toBe(true);
    expect(kit.calls).toEqual([]);
    const overStdio = await connect(kit, 'stdio');
    await overStdio.callTool({
      name: 'upload_file',
      arguments: { file: { path: '/nonexistent/x' }, directory: 'd' },
    });
    expect(kit.calls[0]?.params.file).toEqual({ kind: 'path', path: '/nonexistent/x' });
  });

  it('turns a tool failure into an isError result with the error code', async () => {
    const client = await connect(createFakeToolkit(), 'http');
    const result = await client.callTool({
      name: 'get_file_by_url',
      arguments: { file_url: 'oss://b/missing' },
    });
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([{ type: 'text', text: 'OSS_NO_SUCH_KEY: No object missing' }]);
  });

  it('embeds a download under the cap and links one above it', async () => {
    const kit = createFakeToolkit();
    kit.bucket.set('small.bin', {
      bytes: Buffer.alloc(1000, 1),
      contentType: 'application/octet-stream',
      lastModified: new Date(),
    });
    kit.bucket.set('big.bin', {
      bytes: Buffer.alloc(2 * 1024 * 1024, 2),
      contentType: 'application/octet-stream',
      lastModified: new Date(),
    });
    const client = await connect(kit, 'http', 1);
    const small = await client.callTool({
      name: 'get_file_by_url',
      arguments: { file_url: 'oss://b/small.bin' },
    });
    const embedded = (small.content as Array<{ type: string; resource?: { blob?: string } }>).find(
      (c) => c.type === 'resource',
    );
    expect(Buffer.from(embedded?.resource?.blob ?? '', 'base64')).toEqual(Buffer.alloc(1000, 1));
    const big = await client.callTool({
      name: 'get_file_by_url',
      arguments: { file_url: 'oss://b/big.bin' },
    });
    const types = (big.content as Array<{ type: string }>).map((c) => c.type);
    expect(types).not.toContain('resource');
    expect(big.content).toContainEqual(
      expect.objectContaining({
        type: 'resource_link',
        uri: 'https://signed.example/big.bin?sig=fake',
        size: 2 * 1024 * 1024,
      }),
    );
  });
});

describe('createMcpServer progress and cancellation', () => {
  function probeTool(onRun: (context: ToolContext) => Promise<void>): AnyToolDeclaration {
    const base = createFakeToolkit().tools[1]!;
    return {
      ...base,
      name: 'probe',
      parameters: [],
      params: z.object({}),
      outputSchema: { type: 'object' },
      async *handler(_params: unknown, context: ToolContext): AsyncIterable<ToolMessage> {
        await onRun(context);
        yield { type: 'json', json: { done: true } };
      },
    };
  }

  async function connectTools(tools: AnyToolDeclaration[]): Promise<Client> {
    const server = createMcpServer({ settings: parseSettings({}), tools, transport: 'http' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(clientSide);
    opened.push(async () => {
      await client.close();
      await server.close();
    });
    return client;
  }

  it('forwards transfer progress as MCP progress notifications', async () => {
    const client = await connectTools([
      probeTool(async (context) => {
        context.onProgress?.({ loadedBytes: 50, totalBytes: 100, label: 'half' });
        context.onProgress?.({ loadedBytes: 100, totalBytes: 100, label: 'all' });
      }),
    ]);
    const seen: Array<{ progress: number; total?: number | undefined }> = [];
    await client.callTool({ name: 'probe', arguments: {} }, undefined, { onprogress: (p) => seen.push(p) });
    expect(seen[0]).toMatchObject({ progress: 50, total: 100 });
    expect(seen.at(-1)).toMatchObject({ progress: 100, total: 100 });
  });

  it('aborts the tool signal when the client cancels the call', async () => {
    let sawAbort: () => void = () => undefined;
    const aborted = new Promise<void>((resolve) => {
      sawAbort = resolve;
    });
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const client = await connectTools([
      probeTool(async (context) => {
        started();
        await once(context.signal, 'abort');
        sawAbort();
      }),
    ]);
    const controller = new AbortController();
    const call = client.callTool({ name: 'probe', arguments: {} }, undefined, { signal: controller.signal });
    await running;
    controller.abort();
    await expect(call).rejects.toThrow();
    await aborted;
  });
});

describe('buildOutputSchema', () => {
  it('converts an object JSON Schema and ignores anything else', () => {
    const schema = buildOutputSchema({
      type: 'object',
      properties: { a: { type: 'string' } },
      required: ['a'],
    });
    expect(schema?.safeParse({ a: 'x' }).success).toBe(true);
    expect(schema?.safeParse({}).success).toBe(false);
    expect(buildOutputSchema({ type: 'array' })).toBeUndefined();
  });
});

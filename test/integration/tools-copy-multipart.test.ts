// copy_object above its multipart threshold goes by UploadPartCopy (the threshold is an option so a test
// can use 100 KiB instead of 1 GiB), and the copy is byte-exact. (#8)
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OssClient } from '../../src/oss/client.js';
import { createCopyObjectTool } from '../../src/tools/copy-object.js';
import { invokeTool } from '../../src/tools/invoke.js';
import { startWorld, type ToolsWorld } from './tools-harness.js';

let world: ToolsWorld;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world.emulator.close();
});

describe('copy_object', () => {
  it('copies above a small threshold with UploadPartCopy, byte-exact', async () => {
    const c = world.emulator.credentials[0]!;
    const client = new OssClient({
      ...c,
      endpoint: world.emulator.endpoint,
      bucket: world.bucket,
      region: world.emulator.region,
    });
    const body = randomBytes(300 * 1024);
    await client.putObject('big/src.bin', body);
    const before = world.emulator.requestLog.length;
    let json: Record<string, unknown> = {};
    for await (const m of invokeTool(
      'copy_object',
      { object_key: 'big/src.bin', directory: 'big-copy' },
      {
        face: 'mcp',
        settings: world.settings(),
        tools: [createCopyObjectTool({ multipartThresholdBytes: 100 * 1024 })],
      },
    )) {
      if (m.type === 'json') json = m.json as Record<string, unknown>;
    }
    const ops = world.emulator.requestLog.slice(before).map((r) => r.op);
    expect(ops).toContain('UploadPartCopy');
    expect(ops).not.toContain('CopyObject');
    expect(json).toMatchObject({ multipart: true, size: body.length });
    const got = await client.getObject('big-copy/src.bin');
    const chunks: Buffer[] = [];
    for await (const ch of got.body) chunks.push(ch as Buffer);
    expect(Buffer.concat(chunks).equals(body)).toBe(true);
    await client.close();
  });
});

import { describe, expect, it } from 'vitest';
import type { McpStdioOptions, ServeOptions } from '../../../src/cli/serve-commands.js';
import { Capture, fakeEmulator, run } from './cli-harness.js';

describe('oss-dify serve', () => {
  it('hands its flags and the process surface to runServe', async () => {
    const calls: ServeOptions[] = [];
    const result = await run(
      ['serve', '--port', '0', '--token', 't0k', '--remote', 'localhost:5003', '--key', 'k'],
      {
        cwd: '/w',
        deps: { loadServe: async () => ({ runServe: async (options) => void calls.push(options) }) },
      },
    );
    expect(result.code).toBe(0);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      host: '127.0.0.1',
      port: 0,
      token: 't0k',
      remote: 'localhost:5003',
      key: 'k',
      cwd: '/w',
    });
  });

  it('runs the emulator instead while the MCP server is not installed', async () => {
    const emulator = fakeEmulator();
    const controller = new AbortController();
    const stdout = new Capture();
    stdout.onWrite = () => controller.abort();
    const result = await run(['serve', '--port', '0'], {
      cwd: '/w',
      stdout,
      signal: controller.signal,
      deps: { loadServe: async () => undefined, loadEmulator: async () => emulator.module },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('starting the local OSS emulator instead');
    expect(emulator.started[0]).toMatchObject({ port: 0, dataDir: '/w/.oss-data', buckets: ['dify-oss'] });
    expect(emulator.closed()).toBe(1);
  });
});

describe('oss-dify mcp', () => {
  it('hands stdin and the process surface to runMcpStdio', async () => {
    const calls: McpStdioOptions[] = [];
    const result = await run(['mcp'], {
      cwd: '/w',
      deps: { loadMcp: async () => ({ runMcpStdio: async (options) => void calls.push(options) }) },
    });
    expect(result.code).toBe(0);
    expect(calls[0]?.cwd).toBe('/w');
    expect(calls[0]?.stdin).toBeDefined();
  });

  it('fails with INTERNAL while the MCP stdio server is not installed', async () => {
    const result = await run(['mcp'], { cwd: '/w', deps: { loadMcp: async () => undefined } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error INTERNAL: The MCP stdio server is not installed/);
  });
});

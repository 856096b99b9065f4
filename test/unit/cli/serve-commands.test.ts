import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { McpCommandOptions } from '../../../src/cli/mcp-command.js';
import type { ServeOptions } from '../../../src/cli/serve.js';
import { AppError } from '../../../src/errors.js';
import { run } from './cli-harness.js';

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

  it('defaults to 127.0.0.1:8787 and renders a failure of the server as its code', async () => {
    const calls: ServeOptions[] = [];
    const runServe = async (options: ServeOptions): Promise<void> => {
      calls.push(options);
      throw new AppError('REMOTE_REFUSED', 'handshake failed');
    };
    const result = await run(['serve'], { cwd: '/w', deps: { loadServe: async () => ({ runServe }) } });
    expect(calls[0]).toMatchObject({ host: '127.0.0.1', port: 8787 });
    expect(result).toMatchObject({ code: 1, stderr: 'error REMOTE_REFUSED: handshake failed\n' });
  });

  it('passes --allow-host names (repeated or comma-separated) as allowedHosts', async () => {
    const calls: ServeOptions[] = [];
    const result = await run(
      ['serve', '--allow-host', 'host.docker.internal,dify.lan', '--allow-host', 'x.test'],
      {
        cwd: '/w',
        deps: { loadServe: async () => ({ runServe: async (options) => void calls.push(options) }) },
      },
    );
    expect(result.code).toBe(0);
    expect(calls[0]?.allowedHosts).toEqual(['host.docker.internal', 'dify.lan', 'x.test']);
    expect(calls[0]).not.toHaveProperty('allowHost');
  });

  it('rejects a bad port as a usage error before starting anything', async () => {
    const calls: ServeOptions[] = [];
    const result = await run(['serve', '--port', '99999'], {
      cwd: '/w',
      deps: { loadServe: async () => ({ runServe: async (options) => void calls.push(options) }) },
    });
    expect(result.code).toBe(2);
    expect(calls).toEqual([]);
  });
});

describe('oss-dify mcp', () => {
  it('hands the injected stdin and the process surface to runMcpStdio', async () => {
    const calls: McpCommandOptions[] = [];
    const stdin = new PassThrough();
    const result = await run(['mcp'], {
      cwd: '/w',
      deps: { stdin, loadMcp: async () => ({ runMcpStdio: async (options) => void calls.push(options) }) },
    });
    expect(result.code).toBe(0);
    expect(calls[0]?.cwd).toBe('/w');
    expect(calls[0]?.stdin).toBe(stdin);
  });
});

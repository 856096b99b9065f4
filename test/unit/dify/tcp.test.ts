import { describe, expect, it } from 'vitest';
import { registrationLines, remoteTargetFromEnv } from '../../../src/dify/tcp.js';

describe('remoteTargetFromEnv', () => {
  it.each([
    [{ REMOTE_INSTALL_URL: 'debug.dify.ai:5003' }, 'debug.dify.ai', 5003],
    [{ REMOTE_INSTALL_URL: 'tcp://10.0.0.5:6000' }, '10.0.0.5', 6000],
    [{ REMOTE_INSTALL_URL: 'http://[::1]:7000/' }, '::1', 7000],
    [{ REMOTE_INSTALL_URL: 'example.com', REMOTE_INSTALL_PORT: '9' }, 'example.com', 5003],
    [{ REMOTE_INSTALL_HOST: 'h', REMOTE_INSTALL_PORT: '1234' }, 'h', 1234],
    [{}, 'localhost', 5003],
  ])('reads %j as the Python SDK does', (env, host, port) => {
    expect(remoteTargetFromEnv({ REMOTE_INSTALL_KEY: 'k', ...env })).toEqual({ host, port, key: 'k' });
  });

  it('throws CONFIG_INVALID without a key or with a bad port', () => {
    expect(() => remoteTargetFromEnv({})).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => remoteTargetFromEnv({ REMOTE_INSTALL_KEY: 'k', REMOTE_INSTALL_PORT: '70000' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});

describe('registrationLines', () => {
  it('orders handshake, manifest, tools, assets, end and cuts assets into non-empty 8192-byte pieces', () => {
    const lines = registrationLines('key-1', {
      manifest: { name: 'm' },
      tools: [{ identity: { name: 'p' } }],
      assets: [
        { filename: 'icon.svg', data: Buffer.alloc(8193, 1) },
        { filename: 'empty.txt', data: Buffer.alloc(0) },
      ],
    }).map((line) => JSON.parse(line));
    expect(lines.map((l) => l.type)).toEqual([
      'handshake',
      'manifest_declaration',
      'tool_declaration',
      'asset_chunk',
      'asset_chunk',
      'end',
    ]);
    expect(lines[0].data).toEqual({ key: 'key-1' });
    expect(lines[2].data).toEqual([{ identity: { name: 'p' } }]);
    expect(lines.slice(3, 5).map((l) => [Buffer.from(l.data.data, 'base64').length, l.data.end])).toEqual([
      [8192, false],
      [1, true],
    ]);
    expect(lines[5].data).toEqual({});
  });
});

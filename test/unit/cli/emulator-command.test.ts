import { describe, expect, it } from 'vitest';
import { EMBEDDED_CREDENTIALS } from '../../../src/cli/connection.js';
import { emulatorOptionsFrom, parsePort, untilAborted } from '../../../src/cli/emulator-command.js';
import { Capture, fakeEmulator, run } from './cli-harness.js';

describe('emulatorOptionsFrom', () => {
  it('fills the embedded defaults and resolves the data folder against the working directory', () => {
    expect(emulatorOptionsFrom({ host: '127.0.0.1', port: 0, region: 'cn-hangzhou' }, '/w')).toEqual({
      host: '127.0.0.1',
      port: 0,
      region: 'cn-hangzhou',
      dataDir: '/w/.oss-data',
      buckets: ['dify-oss'],
      credentials: [{ ...EMBEDDED_CREDENTIALS }],
      publicRead: false,
    });
  });
});

describe('parsePort', () => {
  it('accepts 0..65535 and rejects anything else as a usage error', () => {
    expect(parsePort('0')).toBe(0);
    expect(parsePort('65535')).toBe(65_535);
    for (const bad of ['65536', '-1', 'x', '1.5', '']) {
      expect(() => parsePort(bad)).toThrow(expect.objectContaining({ code: 'commander.invalidArgument' }));
    }
  });
});

describe('untilAborted', () => {
  it('resolves at once for an aborted signal and on a later abort', async () => {
    await untilAborted(AbortSignal.abort());
    const controller = new AbortController();
    const waiting = untilAborted(controller.signal);
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
  });
});

describe('oss-dify emulator', () => {
  it('starts the emulator with the flags, prints its banner, and closes it on abort', async () => {
    const emulator = fakeEmulator();
    const controller = new AbortController();
    const stdout = new Capture();
    stdout.onWrite = (text) => {
      if (text.includes('listening')) controller.abort();
    };
    const argv = [
      'emulator',
      '--port',
      '0',
      '--region',
      'cn-beijing',
      '--data',
      'store',
      '--bucket',
      'a',
      '--bucket',
      'b',
    ];
    const result = await run(
      [...argv, '--access-key-id', 'id1', '--access-key-secret', 's1', '--public-read'],
      {
        cwd: '/w',
        stdout,
        signal: controller.signal,
        deps: { loadEmulator: async () => emulator.module },
      },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('OSS emulator listening on http://127.0.0.1:4321\n');
    expect(emulator.started).toEqual([
      {
        host: '127.0.0.1',
        port: 0,
        region: 'cn-beijing',
        dataDir: '/w/store',
        buckets: ['a', 'b'],
        credentials: [{ accessKeyId: 'id1', accessKeySecret: 's1' }],
        publicRead: true,
      },
    ]);
    expect(emulator.closed()).toBe(1);
  });
});

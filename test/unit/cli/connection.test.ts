import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EMULATOR_PORT,
  EMBEDDED_CREDENTIALS,
  embeddedPort,
  resolveConnection,
} from '../../../src/cli/connection.js';
import { Capture, FAKE_OSS_ENV, fakeEmulator } from './cli-harness.js';

const io = (env: NodeJS.ProcessEnv) => ({ stdout: new Capture(), stderr: new Capture(), env, cwd: '/w' });

describe('resolveConnection', () => {
  it('uses the environment as is when all four connection settings are set', async () => {
    const emulator = fakeEmulator();
    const connection = await resolveConnection(io(FAKE_OSS_ENV), async () => emulator.module);
    expect(connection.settings).toMatchObject({ bucket: 'unit-bucket', endpoint: 'http://127.0.0.1:9' });
    expect(connection.embeddedEndpoint).toBeUndefined();
    expect(emulator.started).toEqual([]);
  });

  it('starts the embedded emulator with data in ./.oss-data and says so when no credentials are set', async () => {
    const emulator = fakeEmulator();
    const surface = io({ OSS_DIFY_MAX_FILES: '7', OSS_DIFY_EMULATOR_PORT: '0' });
    const connection = await resolveConnection(surface, async () => emulator.module);
    expect(emulator.started).toEqual([
      {
        host: '127.0.0.1',
        port: 0,
        region: 'cn-hangzhou',
        dataDir: '/w/.oss-data',
        buckets: ['dify-oss'],
        credentials: [{ ...EMBEDDED_CREDENTIALS }],
      },
    ]);
    expect(connection.settings).toMatchObject({
      access_key_id: EMBEDDED_CREDENTIALS.accessKeyId,
      endpoint: 'http://127.0.0.1:4321',
      bucket: 'dify-oss',
      region: 'cn-hangzhou',
      max_files: 7,
    });
    expect(surface.stderr.text).toContain(
      'using the embedded emulator at http://127.0.0.1:4321, bucket dify-oss',
    );
    await connection.close();
    expect(emulator.closed()).toBe(1);
  });

  it('prefers the fixed port so URLs stay valid across runs, and takes any port when it is busy', async () => {
    const free = fakeEmulator();
    await resolveConnection(io({}), async () => free.module);
    expect(free.started.map((options) => options.port)).toEqual([DEFAULT_EMULATOR_PORT]);
    const busy = fakeEmulator([DEFAULT_EMULATOR_PORT]);
    const connection = await resolveConnection(io({}), async () => busy.module);
    expect(busy.started.map((options) => options.port)).toEqual([DEFAULT_EMULATOR_PORT, 0]);
    expect(connection.embeddedEndpoint).toBe('http://127.0.0.1:4321');
  });

  it('fails when an explicitly chosen port is busy instead of moving elsewhere', async () => {
    const busy = fakeEmulator([9999]);
    await expect(
      resolveConnection(io({ OSS_DIFY_EMULATOR_PORT: '9999' }), async () => busy.module),
    ).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
    expect(busy.started).toHaveLength(1);
  });
});

describe('embeddedPort', () => {
  it('reads OSS_DIFY_EMULATOR_PORT and rejects a value that is not a port', () => {
    expect(embeddedPort({})).toEqual({ port: DEFAULT_EMULATOR_PORT, explicit: false });
    expect(embeddedPort({ OSS_DIFY_EMULATOR_PORT: ' 0 ' })).toEqual({ port: 0, explicit: true });
    expect(() => embeddedPort({ OSS_DIFY_EMULATOR_PORT: '70000' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});

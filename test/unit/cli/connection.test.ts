import { describe, expect, it } from 'vitest';
import { EMBEDDED_CREDENTIALS, resolveConnection } from '../../../src/cli/connection.js';
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
    const surface = io({ OSS_DIFY_MAX_FILES: '7' });
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
});

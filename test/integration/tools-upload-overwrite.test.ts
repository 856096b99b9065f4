// upload_file never overwrites unless asked (B8): it renames, refuses on request, and keeps both files
// when writers race for one name, over real HTTP against the emulator.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { difyFile, firstFile, runTool, useWorldWithFiles } from './tools-harness.js';

const env = useWorldWithFiles();

describe('upload_file and existing objects', () => {
  it('renames instead of overwriting, and fails on request, never clobbering (B8)', async () => {
    const first = env.serve('/files/dup-a', 'first', { contentType: 'text/plain' });
    const second = env.serve('/files/dup-b', 'second', { contentType: 'text/plain' });
    const a = firstFile(
      await runTool(
        'upload_file',
        { file: difyFile(first, 'same.txt'), directory: 'dup' },
        env.world.settings(),
      ),
    );
    const b = firstFile(
      await runTool(
        'upload_file',
        { file: difyFile(second, 'same.txt'), directory: 'dup' },
        env.world.settings(),
      ),
    );
    expect(a.object_key).toBe('dup/same.txt');
    expect(b).toMatchObject({ object_key: 'dup/same-1.txt', renamed_from: 'dup/same.txt' });
    await expect(
      runTool(
        'upload_file',
        { file: difyFile(second, 'same.txt'), directory: 'dup' },
        env.world.settings({ overwrite: 'fail' }),
      ),
    ).rejects.toMatchObject({ code: 'OSS_FILE_ALREADY_EXISTS' });
    const objects = await env.world.emulator.listObjects('tools-test', 'dup/');
    expect(objects.map((o) => o.key)).toEqual(['dup/same-1.txt', 'dup/same.txt']);
    const replaced = firstFile(
      await runTool(
        'upload_file',
        { file: difyFile(second, 'same.txt'), directory: 'dup' },
        env.world.settings({ overwrite: 'overwrite' }),
      ),
    );
    expect(replaced.object_key).toBe('dup/same.txt');
  });

  it('keeps both files when two writers race for the same name (B8)', async () => {
    const one = env.serve('/files/race-1', randomBytes(200_000));
    const two = env.serve('/files/race-2', randomBytes(200_000));
    const [x, y] = await Promise.all([
      runTool('upload_file', { file: difyFile(one, 'race.bin'), directory: 'race' }, env.world.settings()),
      runTool('upload_file', { file: difyFile(two, 'race.bin'), directory: 'race' }, env.world.settings()),
    ]);
    const keys = [firstFile(x!).object_key, firstFile(y!).object_key].sort();
    expect(keys).toEqual(['race/race-1.bin', 'race/race.bin']);
    const stored = await env.world.emulator.listObjects('tools-test', 'race/');
    expect(stored.map((o) => o.size)).toEqual([200_000, 200_000]);
  });

  it('opens the source again and takes the next name when its forbid-overwrite PUT loses a race (B8)', async () => {
    const url = env.serve('/files/lost-race', 'payload', { contentType: 'text/plain' });
    env.world.emulator.faults.add({
      op: 'PutObject',
      key: 'lost/race.txt',
      action: { type: 'status', status: 409, code: 'FileAlreadyExists' },
    });
    const fetchesBefore = env.dify.requests.filter((path) => path.startsWith('/files/lost-race')).length;
    const file = firstFile(
      await runTool(
        'upload_file',
        { file: difyFile(url, 'race.txt'), directory: 'lost' },
        env.world.settings(),
      ),
    );
    expect(file).toMatchObject({
      object_key: 'lost/race-1.txt',
      renamed_from: 'lost/race.txt',
      file_size_bytes: 7,
    });
    expect(
      env.dify.requests.filter((path) => path.startsWith('/files/lost-race')).length - fetchesBefore,
    ).toBe(2);
  });
});

import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../src/config/settings.js';
import { invokeTool } from '../../../src/tools/invoke.js';

async function drain(name: string, params: Record<string, unknown>, raw: Record<string, unknown>) {
  for await (const _message of invokeTool(name, params, { face: 'cli', settings: parseSettings(raw) })) {
    // drained
  }
}

// No connection settings at all: reading the OSS client would throw CONFIG_MISSING_CREDENTIALS, so a
// refusal with another code proves the tool stopped before touching OSS.
describe('delete_object', () => {
  it('refuses with DELETE_DISABLED by default, before looking at the key or OSS', async () => {
    await expect(drain('delete_object', { object_key: 'a.txt' }, {})).rejects.toMatchObject({
      code: 'DELETE_DISABLED',
    });
    await expect(
      drain('delete_object', { object_key: '../../a.txt' }, { key_prefix_scope: 's' }),
    ).rejects.toMatchObject({ code: 'DELETE_DISABLED' });
  });

  it.each(['docs/', 'team-a/', ' '])(
    'never deletes a folder prefix or an empty key (%j)',
    async (object_key) => {
      await expect(
        drain('delete_object', { object_key }, { allow_delete: 'true', key_prefix_scope: 'team-a' }),
      ).rejects.toMatchObject({ code: expect.stringMatching(/^(KEY_INVALID|INVALID_ARGUMENT)$/) });
    },
  );

  it.each(['../b/x.txt', '%2e%2e/b/x.txt', '..\\b\\x.txt', 'a//x.txt'])(
    'refuses %s outside the scope with KEY_OUT_OF_SCOPE',
    async (object_key) => {
      await expect(
        drain('delete_object', { object_key }, { allow_delete: 'true', key_prefix_scope: 'team-a' }),
      ).rejects.toMatchObject({ code: 'KEY_OUT_OF_SCOPE' });
    },
  );
});

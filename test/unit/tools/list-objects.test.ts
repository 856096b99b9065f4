import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../src/config/settings.js';
import { invokeTool } from '../../../src/tools/invoke.js';

async function drain(name: string, params: Record<string, unknown>, raw: Record<string, unknown>) {
  for await (const _message of invokeTool(name, params, { face: 'cli', settings: parseSettings(raw) })) {
    // drained
  }
}

// No connection settings: a refusal with a code other than CONFIG_MISSING_CREDENTIALS proves the tool
// stopped before touching OSS.
describe('list_objects', () => {
  it.each([0, 1001, 'lots'])('refuses max_keys %j with INVALID_ARGUMENT', async (max_keys) => {
    await expect(drain('list_objects', { max_keys }, {})).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { parameter: 'max_keys' },
    });
  });
});

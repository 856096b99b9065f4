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
describe('save_text', () => {
  it('refuses content that is not JSON when the type is JSON, before any upload', async () => {
    for (const content_type of ['application/json', 'application/ld+json; charset=utf-8']) {
      await expect(
        drain('save_text', { content: '{"a": 1,}', directory: 'd', content_type }, {}),
      ).rejects.toMatchObject({ code: 'CONTENT_INVALID' });
    }
  });

  it('refuses a content_type that is not a media type', async () => {
    await expect(
      drain('save_text', { content: 'x', directory: 'd', content_type: 'text' }, {}),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: { parameter: 'content_type' } });
  });

  it('requires content (an empty string is not saved)', async () => {
    await expect(drain('save_text', { content: '', directory: 'd' }, {})).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { parameter: 'content' },
    });
  });
});

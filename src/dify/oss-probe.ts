// The credential probe of the real plugin: a HEAD through the tool context's OSS client, built from the
// Dify credentials exactly as a tool call builds it. Kept apart so credentials.ts is testable without OSS.
import type { Settings } from '../config/settings.js';
import { createToolContext } from '../tools/tool-context.js';
import type { Logger } from '../tools/tool-declaration.js';
import type { HeadProbe } from './credentials.js';

/**
 * Builds a HEAD probe from `settings`.
 * The probe throws the client's AppErrors (CONFIG_MISSING_CREDENTIALS, OSS_NO_SUCH_KEY, OSS_ACCESS_DENIED, …).
 */
export function ossHeadProbe(settings: Settings, logger: Logger): HeadProbe {
  return async (key, signal) => {
    const context = await createToolContext({ settings, face: 'dify', signal, logger });
    return context.oss.headObject(key, { signal });
  };
}

// The one settings schema: Dify provider credentials, environment variables and CLI flags all pass
// through `parseSettings`. Knows nothing of faces; turning settings into clients happens in tools/.
import { z } from 'zod';
import { AppError } from '../errors.js';

/** Overwrite policy when the target key exists: rename to name-1.ext, replace it, or fail. */
export const OVERWRITE_POLICIES = ['rename', 'overwrite', 'fail'] as const;
export type OverwritePolicy = (typeof OVERWRITE_POLICIES)[number];

const emptyToUndefined = (value: unknown): unknown =>
  value === '' || value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value;

const optionalText = z.preprocess(
  (value) => (typeof value === 'string' ? emptyToUndefined(value.trim()) : emptyToUndefined(value)),
  z.string().optional(),
);

const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];

// Dify select/boolean credentials arrive as strings; an unknown word is an error, never a silent false.
const flag = (defaultValue: boolean) =>
  z.preprocess((value) => {
    const v = emptyToUndefined(value);
    if (typeof v !== 'string') return v;
    const word = v.trim().toLowerCase();
    if (TRUE_WORDS.includes(word)) return true;
    if (FALSE_WORDS.includes(word)) return false;
    return v;
  }, z.boolean().default(defaultValue));

const integer = (defaultValue: number, min: number, max: number) =>
  z.preprocess((value) => {
    const v = emptyToUndefined(value);
    return typeof v === 'string' ? Number(v.trim()) : v;
  }, z.number().int().min(min).max(max).default(defaultValue));

const hostList = z.preprocess(
  (value) => {
    const v = emptyToUndefined(value);
    if (typeof v !== 'string') return v ?? [];
    return v
      .split(/[,\s]+/)
      .map((entry) => entry.trim().toLowerCase())
      .filter((entry) => entry.length > 0);
  },
  z.array(z.string().regex(/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/, 'expected host or host:port')),
);

const timezone = z.preprocess(
  (value) => emptyToUndefined(value),
  z
    .string()
    .default('UTC')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'expected an IANA time zone such as UTC or Asia/Shanghai'),
);

/**
 * Settings schema. Field names are the Dify credential names (snake_case); the environment uses
 * `OSS_*` for the connection and `OSS_DIFY_<NAME>` for every setting (see {@link ENV_NAMES}).
 */
export const settingsSchema = z.object({
  access_key_id: optionalText,
  access_key_secret: optionalText,
  security_token: optionalText,
  endpoint: optionalText,
  bucket: optionalText,
  region: optionalText,
  custom_domain: optionalText,
  timezone,
  overwrite: z.preprocess(
    (value) =>
      typeof value === 'string' ? emptyToUndefined(value.trim().toLowerCase()) : emptyToUndefined(value),
    z.enum(OVERWRITE_POLICIES).default('rename'),
  ),
  max_files: integer(20, 1, 1000),
  max_download_mb: integer(100, 1, 5 * 1024 * 1024),
  public_download_allowed_hosts: hostList,
  key_prefix_scope: optionalText,
  allow_delete: flag(false),
  /** Uploads or downloads running at once inside one batch tool call. */
  batch_concurrency: integer(4, 1, 32),
  /** MCP: local files may be read only under this directory (stdio only); unset = no local paths. */
  local_path_root: optionalText,
  /** MCP: downloads up to this size are embedded as base64; larger ones get a presigned link. */
  mcp_embed_max_mb: integer(10, 0, 100),
});

export type Settings = z.infer<typeof settingsSchema>;

/** Environment variable for each setting. Connection settings keep the common OSS_* names. */
export const ENV_NAMES: Record<keyof Settings, string> = {
  access_key_id: 'OSS_ACCESS_KEY_ID',
  access_key_secret: 'OSS_ACCESS_KEY_SECRET',
  security_token: 'OSS_SESSION_TOKEN',
  endpoint: 'OSS_ENDPOINT',
  bucket: 'OSS_BUCKET',
  region: 'OSS_REGION',
  custom_domain: 'OSS_CUSTOM_DOMAIN',
  timezone: 'OSS_DIFY_TIMEZONE',
  overwrite: 'OSS_DIFY_OVERWRITE',
  max_files: 'OSS_DIFY_MAX_FILES',
  max_download_mb: 'OSS_DIFY_MAX_DOWNLOAD_MB',
  public_download_allowed_hosts: 'OSS_DIFY_PUBLIC_DOWNLOAD_ALLOWED_HOSTS',
  key_prefix_scope: 'OSS_DIFY_KEY_PREFIX_SCOPE',
  allow_delete: 'OSS_DIFY_ALLOW_DELETE',
  batch_concurrency: 'OSS_DIFY_BATCH_CONCURRENCY',
  local_path_root: 'OSS_DIFY_LOCAL_PATH_ROOT',
  mcp_embed_max_mb: 'OSS_DIFY_MCP_EMBED_MAX_MB',
};

/** The four connection fields; with all four set we talk to real OSS, with none, to the emulator. */
export const CONNECTION_FIELDS = ['access_key_id', 'access_key_secret', 'endpoint', 'bucket'] as const;

/**
 * Validates raw settings (Dify credentials, or values read from the environment).
 * @throws AppError CONFIG_INVALID naming the first bad field.
 */
export function parseSettings(raw: Record<string, unknown>): Settings {
  const result = settingsSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    // Report the setting itself, not the index inside a list setting.
    const field = String(issue?.path[0] ?? 'settings');
    throw new AppError('CONFIG_INVALID', `Setting "${field}" is invalid: ${issue?.message ?? 'bad value'}`, {
      details: { field },
    });
  }
  return result.data;
}

/** Reads settings from environment variables named in {@link ENV_NAMES} (also `OSS_DIFY_<NAME>`). */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Settings {
  const raw: Record<string, unknown> = {};
  for (const [field, name] of Object.entries(ENV_NAMES)) {
    const value = env[name] ?? env[`OSS_DIFY_${field.toUpperCase()}`];
    if (value !== undefined) raw[field] = value;
  }
  return parseSettings(raw);
}

/** True when all four connection fields are set; false when none is. Partial sets are an error. */
export function hasConnection(settings: Settings): boolean {
  const present = CONNECTION_FIELDS.filter((field) => settings[field] !== undefined);
  if (present.length === CONNECTION_FIELDS.length) return true;
  if (present.length === 0) return false;
  const missing = CONNECTION_FIELDS.filter((field) => settings[field] === undefined);
  throw new AppError('CONFIG_MISSING_CREDENTIALS', `Missing OSS settings: ${missing.join(', ')}`, {
    details: { missing },
  });
}

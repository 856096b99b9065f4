// Generates the README's tool, error and settings tables from the registry, the error code table and the
// settings schema, between `<!-- NAME:start -->` / `<!-- NAME:end -->` markers. `--check` fails when the
// README is stale (the unit test runs the same check).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_NAMES, settingsSchema } from '../src/config/settings.js';
import { ERROR_CODES } from '../src/errors.js';
import { TOOL_REGISTRY } from '../src/tools/registry.js';

const README = join(import.meta.dirname, '..', 'README.md');

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The Markdown table of tools: name, what it does, parameters with type/default. */
export function toolTable(): string {
  const rows = TOOL_REGISTRY.map((tool) => {
    const params = tool.parameters
      .map((p) => {
        const extra = [
          p.required ? 'required' : undefined,
          p.default !== undefined ? `default \`${String(p.default)}\`` : undefined,
          p.options ? `one of ${p.options.map((o) => `\`${o.value}\``).join(', ')}` : undefined,
        ].filter(Boolean);
        return `\`${p.name}\` (${p.type}${extra.length ? `; ${extra.join('; ')}` : ''})`;
      })
      .join('<br>');
    const hints = Object.entries(tool.annotations)
      .filter(([, value]) => value === true)
      .map(([key]) => key.replace(/Hint$/, ''))
      .join(', ');
    return `| \`${tool.name}\` | ${cell(tool.description.en_US)} | ${params} | ${hints || '—'} |`;
  });
  return ['| tool | what it does | parameters | MCP hints |', '|---|---|---|---|', ...rows].join('\n');
}

/** The Markdown table of error codes with English and Chinese text and the retry flag. */
export function errorTable(): string {
  const rows = Object.entries(ERROR_CODES).map(
    ([code, row]) => `| \`${code}\` | ${cell(row.en)} | ${cell(row.zh)} | ${row.retryable ? 'yes' : 'no'} |`,
  );
  return ['| code | meaning | 含义 | retry helps |', '|---|---|---|---|', ...rows].join('\n');
}

/** The Markdown table of settings: Dify credential name, environment variable, default. */
export function settingsTable(): string {
  const defaults = settingsSchema.parse({});
  const rows = Object.entries(ENV_NAMES).map(([field, env]) => {
    const value = (defaults as Record<string, unknown>)[field];
    const shown = value === undefined ? '—' : Array.isArray(value) ? '(empty)' : `\`${String(value)}\``;
    return `| \`${field}\` | \`${env}\` | ${shown} |`;
  });
  return ['| setting (Dify credential) | environment variable | default |', '|---|---|---|', ...rows].join(
    '\n',
  );
}

/** Returns `text` with each marked section replaced by its generated table. */
export function renderReadme(text: string): string {
  const sections: Record<string, string> = {
    tools: toolTable(),
    errors: errorTable(),
    settings: settingsTable(),
  };
  let out = text;
  for (const [name, table] of Object.entries(sections)) {
    const pattern = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`);
    if (!pattern.test(out)) throw new Error(`README.md lacks the <!-- ${name}:start/end --> markers`);
    out = out.replace(pattern, `$1\n${table}\n$2`);
  }
  return out;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const current = readFileSync(README, 'utf8');
  const next = renderReadme(current);
  if (process.argv.includes('--check')) {
    if (next !== current) {
      console.error('README.md tables are stale: run `npm run readme`');
      process.exit(1);
    }
  } else if (next !== current) {
    writeFileSync(README, next);
    console.log('README.md tables updated');
  }
}

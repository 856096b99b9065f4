// The README's generated tables must match the registry, the error table and the settings schema.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorTable, renderReadme, toolTable } from '../../scripts/readme-tables.js';
import { ERROR_CODES } from '../../src/errors.js';
import { TOOL_REGISTRY } from '../../src/tools/registry.js';

const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('README tables', () => {
  it('are current (run `npm run readme` when this fails)', () => {
    expect(renderReadme(README)).toBe(README);
  });

  it('list every error code with en and zh text', () => {
    const table = errorTable();
    for (const [code, row] of Object.entries(ERROR_CODES)) {
      expect(row.en.length).toBeGreaterThan(0);
      expect(row.zh.length).toBeGreaterThan(0);
      expect(table).toContain(`\`${code}\``);
    }
  });

  it('list every registered tool', () => {
    const table = toolTable();
    for (const tool of TOOL_REGISTRY) expect(table).toContain(`\`${tool.name}\``);
  });
});

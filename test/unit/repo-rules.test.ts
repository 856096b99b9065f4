// Repository rules that Biome and tsc cannot check: file sizes, import direction between layers,
// network access only in net/ and oss/, and an emulator that imports no product code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');
const MAX_LINES = 500;
/** Files allowed past MAX_LINES, each with its reason. */
const LONG_FILE_ALLOWLIST: Record<string, string> = {};

/** Which layers each layer may import. Faces → tools → oss/net/config; errors.ts is for all. */
const ALLOWED_IMPORTS: Record<string, string[]> = {
  config: ['config'],
  oss: ['oss', 'config'],
  net: ['net', 'config'],
  tools: ['tools', 'oss', 'net', 'config'],
  dify: ['dify', 'tools', 'oss', 'net', 'config'],
  mcp: ['mcp', 'tools', 'oss', 'net', 'config', 'dify'],
  cli: ['cli', 'dify', 'mcp', 'tools', 'oss', 'net', 'config', 'emulator'],
  emulator: ['emulator'],
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const files = walk(SRC).map((path) => ({ path, rel: relative(SRC, path), text: readFileSync(path, 'utf8') }));

function layerOf(rel: string): string {
  return rel.includes('/') ? rel.split('/')[0]! : '(root)';
}

function importsOf(text: string): string[] {
  return [
    ...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => (m[1] ?? m[2])!);
}

describe('repository rules', () => {
  it('keeps every source file under the line cap unless allowlisted', () => {
    const long = files
      .filter((f) => f.text.split('\n').length > MAX_LINES && !(f.rel in LONG_FILE_ALLOWLIST))
      .map((f) => f.rel);
    expect(long).toEqual([]);
  });

  it('imports only inward between layers', () => {
    const violations: string[] = [];
    for (const file of files) {
      const layer = layerOf(file.rel);
      if (layer === '(root)') continue;
      for (const spec of importsOf(file.text)) {
        if (!spec.startsWith('.')) continue;
        const target = relative(SRC, join(file.path, '..', spec));
        if (target.startsWith('..')) {
          // Outside src/: only package.json (name, version) may be read, and never by the emulator.
          if (target !== '../package.json' || layer === 'emulator')
            violations.push(`${file.rel} -> ${target}`);
          continue;
        }
        const targetLayer = layerOf(target);
        if (targetLayer === '(root)') {
          if (layer === 'emulator') violations.push(`${file.rel} -> ${target}`);
          continue;
        }
        if (!(ALLOWED_IMPORTS[layer] ?? []).includes(targetLayer))
          violations.push(`${file.rel} -> ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('opens outbound HTTP only in net/ and oss/', () => {
    const offenders = files
      .filter((f) => !['net', 'oss', 'emulator'].includes(layerOf(f.rel)))
      .filter((f) => importsOf(f.text).includes('undici') || /\bfetch\s*\(/.test(f.text))
      .map((f) => f.rel);
    expect(offenders).toEqual([]);
  });

  it('names every source file in kebab-case ASCII', () => {
    const bad = files
      .map((f) => f.rel.split('/').pop()!)
      .filter((n) => !/^[a-z0-9]+(-[a-z0-9]+)*\.ts$/.test(n));
    expect(bad).toEqual([]);
  });
});

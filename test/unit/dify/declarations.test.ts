import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { settingsSchema } from '../../../src/config/settings.js';
import { validatePluginFiles } from '../../../src/dify/declaration-rules.js';
import {
  buildDeclarations,
  declarationFileMap,
  declarationFiles,
  ICON_FILENAME,
  type PluginDeclarations,
  PROVIDER_PATH,
} from '../../../src/dify/declarations.js';
import { PROVIDER_CREDENTIALS } from '../../../src/dify/provider-form.js';
import { TOOL_REGISTRY } from '../../../src/tools/registry.js';
import { FIXTURE_TOOLS } from '../../fixtures/dify-fixture-tools.js';

const OPTIONS = { author: 'acme', version: '0.1.0' };
const build = (): PluginDeclarations => buildDeclarations(FIXTURE_TOOLS, OPTIONS);
// biome-ignore lint/suspicious/noExplicitAny: tests reach into parsed YAML to break one rule at a time
type Obj = Record<string, any>;

/** Validates the declarations after `mutate` changed a deep copy of their files. */
function problemsAfter(
  mutate: (files: Map<string, Obj>) => void,
  assets = new Set([ICON_FILENAME]),
): string[] {
  const files = new Map([...declarationFileMap(build())].map(([k, v]) => [k, structuredClone(v) as Obj]));
  mutate(files);
  return validatePluginFiles(files, assets);
}
const manifestOf = (files: Map<string, Obj>): Obj => files.get('manifest.yaml')!;
const toolOf = (files: Map<string, Obj>, name: string): Obj => files.get(`tools/${name}.yaml`)!;

describe('buildDeclarations', () => {
  it('produces declarations that pass every rule for the fixture tools', () => {
    expect(validatePluginFiles(declarationFileMap(build()), new Set([ICON_FILENAME]))).toEqual([]);
  });

  it('produces valid declarations for the real registry', () => {
    const declarations = buildDeclarations(TOOL_REGISTRY, OPTIONS);
    expect(Object.keys(declarations.tools)).toEqual(TOOL_REGISTRY.map((tool) => tool.name));
  });

  it('declares a python runner with entrypoint main, the plugin name and no permissions', () => {
    const { manifest } = build();
    expect(manifest).toMatchObject({
      name: 'aliyun_oss',
      author: 'acme',
      version: '0.1.0',
      type: 'plugin',
      plugins: { tools: [PROVIDER_PATH] },
      meta: { runner: { language: 'python', version: '3.12', entrypoint: 'main' }, arch: ['amd64', 'arm64'] },
    });
    expect((manifest.resource as Obj).permission).toBeUndefined();
  });

  it('keeps the four original credential fields first and in order', () => {
    const names = Object.keys(build().provider.credentials_for_provider as Obj);
    expect(names.slice(0, 4)).toEqual(['access_key_id', 'access_key_secret', 'endpoint', 'bucket']);
    expect(names).toEqual(PROVIDER_CREDENTIALS.map((field) => field.name));
  });

  it('declares every credential as a setting of the settings schema, secrets as secret-input', () => {
    const credentials = build().provider.credentials_for_provider as Record<string, Obj>;
    for (const name of Object.keys(credentials)) expect(settingsSchema.shape).toHaveProperty(name);
    expect(credentials.access_key_id).toMatchObject({ type: 'text-input', required: true });
    expect(credentials.access_key_secret).toMatchObject({ type: 'secret-input', required: true });
    expect(credentials.security_token).toMatchObject({ type: 'secret-input', required: false });
    expect(credentials.allow_delete?.options.map((o: Obj) => o.value)).toEqual(['false', 'true']);
  });

  it('accepts every select credential default through the settings schema', () => {
    const credentials = build().provider.credentials_for_provider as Record<string, Obj>;
    const defaults = Object.fromEntries(
      Object.entries(credentials)
        .filter(([, field]) => field.default !== undefined)
        .map(([name, field]) => [name, field.default]),
    );
    expect(() => settingsSchema.parse(defaults)).not.toThrow();
    expect(settingsSchema.parse(defaults)).toMatchObject({
      allow_delete: false,
      overwrite: 'rename',
      max_files: 20,
    });
  });

  it('sends credentials as an ordered list and tools inline in the remote form', () => {
    const { remote } = build();
    const [provider] = remote.tools as Obj[];
    expect(remote.tools).toHaveLength(1);
    expect(provider?.credentials_schema.map((f: Obj) => f.name)).toEqual(
      PROVIDER_CREDENTIALS.map((f) => f.name),
    );
    expect(provider?.tools.map((t: Obj) => t.identity.name)).toEqual(['upload_file', 'get_file_by_url']);
    expect(remote.manifest).toEqual(build().manifest);
    expect(remote.assets.map((a) => a.filename)).toEqual([ICON_FILENAME]);
    expect(remote.assets[0]?.data.toString('utf8')).toContain('<svg');
  });

  it('throws DIFY_DECLARATION_INVALID for an author the daemon rejects', () => {
    expect(() => buildDeclarations(FIXTURE_TOOLS, { author: 'Acme Corp', version: '0.1.0' })).toThrow(
      expect.objectContaining({ code: 'DIFY_DECLARATION_INVALID' }),
    );
  });
});

describe('declarationFiles', () => {
  it('writes YAML that parses back to the same objects', () => {
    const declarations = build();
    const files = declarationFiles(declarations);
    expect(files.map((f) => f.path)).toEqual([
      'manifest.yaml',
      PROVIDER_PATH,
      'tools/upload_file.yaml',
      'tools/get_file_by_url.yaml',
    ]);
    const parsed = new Map(files.map((f) => [f.path, parse(f.text)]));
    expect(parsed).toEqual(declarationFileMap(declarations));
  });

  it('writes created_at as a plain YAML timestamp, as the Go decoder reads into time.Time', () => {
    const manifest = declarationFiles(build())[0]!;
    expect(manifest.text).toMatch(/^created_at: 2026-11-25T00:00:00Z$/m);
  });
});

describe('validatePluginFiles', () => {
  it.each<[string, (files: Map<string, Obj>) => void, RegExp]>([
    [
      'a label without en_US',
      (f) => delete toolOf(f, 'upload_file').identity.label.en_US,
      /identity\.label\.en_US/,
    ],
    [
      'a missing locale',
      (f) => delete toolOf(f, 'upload_file').parameters[0].label.ja_JP,
      /ja_JP: missing locale/,
    ],
    ['an upper-case author', (f) => (manifestOf(f).author = 'Acme'), /author/],
    ['a UUID author', (f) => (manifestOf(f).author = '3f0b6c1e-8a2d-4e57-9c1a-5b7e2d9f4a10'), /author/],
    ['a plugin name with a dot', (f) => (manifestOf(f).name = 'aliyun.oss'), /name: must match/],
    ['multiple on a string', (f) => (toolOf(f, 'get_file_by_url').parameters[0].multiple = true), /multiple/],
    ['created_at without a zone', (f) => (manifestOf(f).created_at = '2025-01-01T00:00:00'), /created_at/],
    ['created_at as a date only', (f) => (manifestOf(f).created_at = '2025-01-01'), /created_at/],
    [
      'identity.name unlike the file stem',
      (f) => (toolOf(f, 'upload_file').identity.name = 'upload'),
      /file stem/,
    ],
    ['a provider file missing', (f) => f.delete(PROVIDER_PATH), /named by manifest\.yaml but missing/],
    ['a tool file missing', (f) => f.delete('tools/get_file_by_url.yaml'), /named by provider.*missing/],
    ['a runner other than python', (f) => (manifestOf(f).meta.runner.language = 'nodejs'), /language/],
    ['a zero memory', (f) => (manifestOf(f).resource.memory = 0), /resource\.memory/],
    ['a bad version', (f) => (manifestOf(f).version = '1.0'), /version: not x\.y\.z/],
    ['scope on a string', (f) => (toolOf(f, 'get_file_by_url').parameters[0].scope = 'llm'), /scope/],
    [
      'a select default not in options',
      (f) => (toolOf(f, 'upload_file').parameters[1].default = 'x'),
      /default/,
    ],
    ['a missing llm description', (f) => delete toolOf(f, 'upload_file').description.llm, /description\.llm/],
    [
      'an unknown parameter type',
      (f) => (toolOf(f, 'upload_file').parameters[0].type = 'blob'),
      /unknown type/,
    ],
    [
      'a credential without zh_Hans help',
      (f) => delete f.get(PROVIDER_PATH)!.credentials_for_provider.endpoint.help.zh_Hans,
      /endpoint\.help\.zh_Hans/,
    ],
  ])('reports %s', (_label, mutate, expected) => {
    const problems = problemsAfter(mutate);
    expect(problems.some((line) => expected.test(line))).toBe(true);
  });

  it('reports an icon missing from the assets', () => {
    expect(problemsAfter(() => {}, new Set())).toContain('_assets/icon.svg: named but missing');
  });

  it('reports a missing manifest', () => {
    expect(validatePluginFiles(new Map(), new Set())).toEqual(['manifest.yaml: missing']);
  });
});

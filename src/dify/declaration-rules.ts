// The rules a Dify plugin's manifest, provider and tool declarations must follow, checked at build time.
// Sources: dify-protocol.md §6 (daemon pkg/entities/plugin_entities/*.go, plugin_decoder.go; Dify #41605).
import { AppError } from '../errors.js';
import { LOCALES } from '../tools/tool-declaration.js';

/** Package files by path (`manifest.yaml`, `provider/x.yaml`, `tools/y.yaml`) as parsed YAML objects. */
export type DeclarationFiles = ReadonlyMap<string, unknown>;

const VERSION = /^\d{1,4}(\.\d{1,4}){2}(-\w{1,16})?$/;
const AUTHOR = /^[a-z0-9_-]{1,64}$/;
const PLUGIN_NAME = /^[a-z0-9_-]{1,128}$/;
const IDENTITY_NAME = /^[a-zA-Z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// RFC 3339 date-time with a zone, as Go's time.Time accepts from YAML/JSON.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const TAGS = new Set(
  'search image videos weather finance design travel social news medical productivity education business entertainment utilities agent rag other trigger'.split(
    ' ',
  ),
);
const PARAM_TYPES = new Set(
  'string number boolean select secret-input file files app-selector model-selector any dynamic-select array object checkbox date date-range'.split(
    ' ',
  ),
);
const PARAM_FORMS = new Set(['llm', 'form', 'schema']);
const CREDENTIAL_TYPES = new Set([
  'secret-input',
  'text-input',
  'select',
  'boolean',
  'app-selector',
  'model-selector',
]);
const SCOPED_TYPES = new Set(['app-selector', 'model-selector', 'any']);
const MULTIPLE_TYPES = new Set(['select', 'dynamic-select']);

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function checkI18n(value: unknown, where: string, problems: string[]): void {
  if (!isObj(value)) {
    problems.push(`${where}: missing (an object with en_US)`);
    return;
  }
  const en = text(value.en_US);
  if (!en || en.length > 1023) problems.push(`${where}.en_US: required, 1..1023 characters`);
  // Our own rule on top of the daemon's: every text ships in all four locales.
  for (const locale of LOCALES) {
    if (locale !== 'en_US' && !text(value[locale])) problems.push(`${where}.${locale}: missing locale`);
  }
}

function checkManifest(manifest: Obj, problems: string[]): void {
  const at = 'manifest.yaml';
  if (!VERSION.test(String(manifest.version))) problems.push(`${at} version: not x.y.z`);
  if (manifest.type !== 'plugin') problems.push(`${at} type: must be "plugin"`);
  const author = String(manifest.author ?? '');
  if (!AUTHOR.test(author) || UUID.test(author))
    problems.push(`${at} author: must match ${AUTHOR} and not be a UUID`);
  if (!PLUGIN_NAME.test(String(manifest.name))) problems.push(`${at} name: must match ${PLUGIN_NAME}`);
  checkI18n(manifest.label, `${at} label`, problems);
  checkI18n(manifest.description, `${at} description`, problems);
  const icon = text(manifest.icon);
  if (!icon || icon.length > 128) problems.push(`${at} icon: required, at most 128 characters`);
  const created = text(manifest.created_at);
  if (!created || !RFC3339.test(created) || Number.isNaN(Date.parse(created)))
    problems.push(`${at} created_at: must be an RFC 3339 timestamp with a zone`);
  const resource = isObj(manifest.resource) ? manifest.resource : {};
  if (!Number.isInteger(resource.memory) || (resource.memory as number) <= 0)
    problems.push(`${at} resource.memory: must be a positive integer`);
  const plugins = isObj(manifest.plugins) ? manifest.plugins : {};
  const tools = Array.isArray(plugins.tools) ? plugins.tools : [];
  if (tools.length !== 1 || !tools.every((p) => typeof p === 'string' && p.length <= 128))
    problems.push(`${at} plugins.tools: must list exactly one provider file`);
  const meta = isObj(manifest.meta) ? manifest.meta : {};
  if (!VERSION.test(String(meta.version))) problems.push(`${at} meta.version: not x.y.z`);
  const arch = Array.isArray(meta.arch) ? meta.arch : [];
  if (arch.length === 0 || !arch.every((a) => a === 'amd64' || a === 'arm64'))
    problems.push(`${at} meta.arch: non-empty list of amd64/arm64`);
  const runner = isObj(meta.runner) ? meta.runner : {};
  if (runner.language !== 'python') problems.push(`${at} meta.runner.language: must be "python"`);
  const runnerVersion = text(runner.version);
  if (!runnerVersion || runnerVersion.length > 128) problems.push(`${at} meta.runner.version: required`);
  const entry = text(runner.entrypoint);
  if (!entry || entry.length > 256) problems.push(`${at} meta.runner.entrypoint: required`);
  for (const tag of Array.isArray(manifest.tags) ? manifest.tags : [])
    if (!TAGS.has(String(tag))) problems.push(`${at} tags: unknown tag ${String(tag)}`);
}

function checkProvider(path: string, provider: Obj, problems: string[]): void {
  const identity = isObj(provider.identity) ? provider.identity : {};
  if (!text(identity.author)) problems.push(`${path} identity.author: required`);
  if (!IDENTITY_NAME.test(String(identity.name ?? '')))
    problems.push(`${path} identity.name: must match ${IDENTITY_NAME}`);
  checkI18n(identity.label, `${path} identity.label`, problems);
  checkI18n(identity.description, `${path} identity.description`, problems);
  if (!text(identity.icon)) problems.push(`${path} identity.icon: required`);
  const credentials = isObj(provider.credentials_for_provider) ? provider.credentials_for_provider : {};
  for (const [name, field] of Object.entries(credentials)) {
    const at = `${path} credentials_for_provider.${name}`;
    if (!isObj(field)) {
      problems.push(`${at}: must be an object`);
      continue;
    }
    if (!CREDENTIAL_TYPES.has(String(field.type)))
      problems.push(`${at}.type: unknown type ${String(field.type)}`);
    checkI18n(field.label, `${at}.label`, problems);
    for (const key of ['help', 'placeholder'] as const)
      if (field[key] !== undefined) checkI18n(field[key], `${at}.${key}`, problems);
    if (field.multiple !== undefined) problems.push(`${at}.multiple: not allowed on a credential field`);
    checkOptions(field, at, problems);
  }
  if (!Array.isArray(provider.tools) || provider.tools.length === 0)
    problems.push(`${path} tools: must list tools`);
}

function checkOptions(field: Obj, at: string, problems: string[]): void {
  const options = field.options;
  if (field.type !== 'select') {
    if (options !== undefined) problems.push(`${at}.options: only for select`);
    return;
  }
  if (!Array.isArray(options) || options.length === 0 || options.length >= 128) {
    problems.push(`${at}.options: a select needs 1..127 options`);
    return;
  }
  const values = options.map((o) => (isObj(o) ? o.value : undefined));
  options.forEach((o, i) => {
    const value = values[i];
    if (typeof value !== 'string' || value.length === 0 || value.length >= 128)
      problems.push(`${at}.options[${i}].value: 1..127 characters`);
    checkI18n(isObj(o) ? o.label : undefined, `${at}.options[${i}].label`, problems);
  });
  if (field.default !== undefined && !values.includes(field.default))
    problems.push(`${at}.default: not one of the options`);
}

function checkTool(path: string, tool: Obj, problems: string[]): void {
  const identity = isObj(tool.identity) ? tool.identity : {};
  const name = String(identity.name ?? '');
  if (!IDENTITY_NAME.test(name)) problems.push(`${path} identity.name: must match ${IDENTITY_NAME}`);
  const stem = path.replace(/^.*\//, '').replace(/\.yaml$/, '');
  if (name !== stem) problems.push(`${path} identity.name: "${name}" differs from the file stem "${stem}"`);
  if (!text(identity.author)) problems.push(`${path} identity.author: required`);
  checkI18n(identity.label, `${path} identity.label`, problems);
  const description = isObj(tool.description) ? tool.description : {};
  checkI18n(description.human, `${path} description.human`, problems);
  if (!text(description.llm)) problems.push(`${path} description.llm: required`);
  if (tool.output_schema !== undefined && !isObj(tool.output_schema))
    problems.push(`${path} output_schema: must be an object`);
  const seen = new Set<string>();
  const parameters = Array.isArray(tool.parameters) ? tool.parameters : [];
  parameters.forEach((param, i) => {
    const at = `${path} parameters[${i}]`;
    if (!isObj(param)) {
      problems.push(`${at}: must be an object`);
      return;
    }
    const pname = text(param.name);
    if (!pname || pname.length > 1023) problems.push(`${at}.name: required`);
    else if (seen.has(pname)) problems.push(`${at}.name: duplicate ${pname}`);
    else seen.add(pname);
    if (!PARAM_TYPES.has(String(param.type))) problems.push(`${at}.type: unknown type ${String(param.type)}`);
    if (!PARAM_FORMS.has(String(param.form))) problems.push(`${at}.form: must be llm, form or schema`);
    checkI18n(param.label, `${at}.label`, problems);
    checkI18n(param.human_description, `${at}.human_description`, problems);
    // `multiple` on anything but a select breaks Dify's whole tool list (langgenius/dify#41605, #41703).
    if (param.multiple !== undefined && !MULTIPLE_TYPES.has(String(param.type)))
      problems.push(`${at}.multiple: only for select or dynamic-select`);
    if (param.scope !== undefined && !SCOPED_TYPES.has(String(param.type)))
      problems.push(`${at}.scope: only for app-selector, model-selector or any`);
    checkOptions(param, at, problems);
  });
}

/**
 * Every rule violation in a set of declaration files, as readable lines (empty when valid). Also checks
 * that each file the manifest and the provider name exists, and that each named icon is in `assets`.
 */
export function validatePluginFiles(files: DeclarationFiles, assets: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const manifest = files.get('manifest.yaml');
  if (!isObj(manifest)) return ['manifest.yaml: missing'];
  checkManifest(manifest, problems);
  const icons = [text(manifest.icon)];
  const providerPaths =
    isObj(manifest.plugins) && Array.isArray(manifest.plugins.tools) ? manifest.plugins.tools : [];
  for (const providerPath of providerPaths.map(String)) {
    const provider = files.get(providerPath);
    if (!isObj(provider)) {
      problems.push(`${providerPath}: named by manifest.yaml but missing`);
      continue;
    }
    checkProvider(providerPath, provider, problems);
    if (isObj(provider.identity)) icons.push(text(provider.identity.icon));
    for (const toolPath of Array.isArray(provider.tools) ? provider.tools.map(String) : []) {
      const tool = files.get(toolPath);
      if (isObj(tool)) checkTool(toolPath, tool, problems);
      else problems.push(`${toolPath}: named by ${providerPath} but missing`);
    }
  }
  for (const icon of icons)
    if (icon && !assets.has(icon)) problems.push(`_assets/${icon}: named but missing`);
  return problems;
}

/**
 * Throws when {@link validatePluginFiles} finds any violation.
 * @throws AppError DIFY_DECLARATION_INVALID with `details.problems` (at most 20 lines).
 */
export function assertValidPluginFiles(files: DeclarationFiles, assets: ReadonlySet<string>): void {
  const problems = validatePluginFiles(files, assets);
  if (problems.length === 0) return;
  throw new AppError(
    'DIFY_DECLARATION_INVALID',
    `Invalid Dify declaration: ${problems.slice(0, 3).join('; ')}`,
    {
      details: { problems: problems.slice(0, 20), count: problems.length },
    },
  );
}

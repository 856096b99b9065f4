// Generates the Dify plugin declarations (manifest, provider, tool YAML objects and the remote-debug JSON)
// from the tool registry. Pure: no I/O; package.ts writes the files, the runtime sends the remote form.
import { stringify } from 'yaml';
import type { AnyToolDeclaration } from '../tools/registry.js';
import type { ParamSpec } from '../tools/tool-declaration.js';
import { assertValidPluginFiles } from './declaration-rules.js';
import { PROVIDER_CREDENTIALS } from './provider-form.js';

/** Plugin `name` in the manifest (also the package file name stem). */
export const PLUGIN_NAME = 'aliyun_oss';
/** Tool provider `identity.name`: the `provider` value in every daemon request. */
export const PROVIDER_NAME = 'aliyun_oss';
/** File name of the icon under `_assets/`. */
export const ICON_FILENAME = 'icon.svg';
/** Manifest creation time: fixed so that builds are reproducible (RFC 3339, Marketplace wants it in the past). */
export const PLUGIN_CREATED_AT = '2026-11-25T00:00:00Z';
/** Memory the manifest requests (bytes); the daemon CLI's default, never enforced (daemon-runtime.md §3). */
export const PLUGIN_MEMORY_BYTES = 268_435_456;

/** The plugin icon: an OSS bucket with an up/down arrow on Alibaba Cloud orange. Drawn for this project. */
export const PLUGIN_ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
  <rect width="64" height="64" rx="14" fill="#FF6A00"/>
  <ellipse cx="32" cy="19" rx="17" ry="6" fill="#FFE3CF"/>
  <path d="M15 19v24c0 3.3 7.6 6 17 6s17-2.7 17-6V19c0 3.3-7.6 6-17 6s-17-2.7-17-6z" fill="#FFFFFF" fill-opacity="0.85"/>
  <path d="M32 29l-7 7h4.5v7h5v-7H39z" fill="#FF6A00"/>
</svg>
`;

const ROOT_I18N = {
  label: {
    en_US: 'Alibaba Cloud OSS',
    zh_Hans: '阿里云 OSS',
    ja_JP: 'Alibaba Cloud OSS',
    pt_BR: 'Alibaba Cloud OSS',
  },
  description: {
    en_US:
      'Upload files to Alibaba Cloud OSS and fetch them back by URL, streamed, signed with V4, without overwriting by accident.',
    zh_Hans: '将文件上传到阿里云 OSS，并按 URL 取回；流式传输、V4 签名，默认不会误覆盖。',
    ja_JP:
      'Alibaba Cloud OSS にファイルをアップロードし、URL で取得します。ストリーミング、V4 署名、誤った上書きなし。',
    pt_BR:
      'Envie arquivos ao Alibaba Cloud OSS e recupere-os por URL, em streaming, com assinatura V4, sem sobrescrever por engano.',
  },
};
const TAGS = ['utilities', 'productivity'];

/** Options of {@link buildDeclarations}. */
export interface DeclarationOptions {
  /** Manifest and identity author; must match `^[a-z0-9_-]{1,64}$` and not be a UUID. */
  author: string;
  /** Plugin version, `x.y.z` (from package.json). */
  version: string;
  /** RFC 3339 creation time; default {@link PLUGIN_CREATED_AT}. */
  createdAt?: string;
}

type Json = Record<string, unknown>;

/** Everything Dify needs to know about the plugin, in file form and in remote-debug form. */
export interface PluginDeclarations {
  /** `manifest.yaml` as an object. */
  manifest: Json;
  /** `provider/aliyun_oss.yaml` as an object (tools listed as file paths). */
  provider: Json;
  /** `tools/<name>.yaml` objects by tool name. */
  tools: Record<string, Json>;
  /** What the remote-debug registration sends: manifest, `tool_declaration` payload, `_assets` files. */
  remote: { manifest: Json; tools: Json[]; assets: Array<{ filename: string; data: Buffer }> };
}

/** Path of the provider YAML inside the package. */
export const PROVIDER_PATH = `provider/${PROVIDER_NAME}.yaml`;
/** Path of one tool's YAML inside the package. */
export const toolPath = (name: string): string => `tools/${name}.yaml`;

function parameterObject(spec: ParamSpec): Json {
  const out: Json = {
    name: spec.name,
    type: spec.type,
    required: spec.required,
    form: spec.form,
    label: { ...spec.label },
    human_description: { ...spec.humanDescription },
    llm_description: spec.llmDescription,
  };
  if (spec.default !== undefined) out.default = spec.default;
  if (spec.options) out.options = spec.options.map((o) => ({ value: o.value, label: { ...o.label } }));
  if (spec.min !== undefined) out.min = spec.min;
  if (spec.max !== undefined) out.max = spec.max;
  if (spec.placeholder) out.placeholder = { ...spec.placeholder };
  return out;
}

function toolObject(tool: AnyToolDeclaration, author: string): Json {
  return {
    identity: { name: tool.name, author, label: { ...tool.label } },
    description: { human: { ...tool.description }, llm: tool.llmDescription },
    parameters: tool.parameters.map(parameterObject),
    output_schema: structuredClone(tool.outputSchema),
  };
}

function credentialObject(field: (typeof PROVIDER_CREDENTIALS)[number]): Json {
  const out: Json = { type: field.type, required: field.required, label: { ...field.label } };
  if (field.default !== undefined) out.default = field.default;
  if (field.options) out.options = field.options.map((o) => ({ value: o.value, label: { ...o.label } }));
  out.help = { ...field.help };
  out.placeholder = { ...field.placeholder };
  if (field.url !== undefined) out.url = field.url;
  return out;
}

/**
 * Builds the manifest, provider and tool declarations from `tools`, then validates them against the
 * daemon's and Dify's rules (dify-protocol.md §6).
 * @throws AppError DIFY_DECLARATION_INVALID listing every violated rule.
 */
export function buildDeclarations(
  tools: readonly AnyToolDeclaration[],
  options: DeclarationOptions,
): PluginDeclarations {
  const { author, version } = options;
  const manifest: Json = {
    version,
    type: 'plugin',
    author,
    name: PLUGIN_NAME,
    label: { ...ROOT_I18N.label },
    description: { ...ROOT_I18N.description },
    icon: ICON_FILENAME,
    created_at: options.createdAt ?? PLUGIN_CREATED_AT,
    // No `permission` block: the tools make no backwards call to Dify (files come as signed URLs and go
    // back as blob chunks), so the plugin asks for nothing (dify-protocol.md §3.4).
    resource: { memory: PLUGIN_MEMORY_BYTES },
    plugins: { tools: [PROVIDER_PATH] },
    meta: {
      version: '0.0.1',
      arch: ['amd64', 'arm64'],
      // The daemon launches only Python runners; main.py execs Node (dify-protocol.md §2.5).
      runner: { language: 'python', version: '3.12', entrypoint: 'main' },
    },
    tags: [...TAGS],
    privacy: 'PRIVACY.md',
  };
  const identity: Json = {
    author,
    name: PROVIDER_NAME,
    label: { ...ROOT_I18N.label },
    description: { ...ROOT_I18N.description },
    icon: ICON_FILENAME,
    tags: [...TAGS],
  };
  const credentials = Object.fromEntries(PROVIDER_CREDENTIALS.map((f) => [f.name, credentialObject(f)]));
  const provider: Json = {
    identity,
    credentials_for_provider: credentials,
    tools: tools.map((tool) => toolPath(tool.name)),
  };
  const toolObjects = Object.fromEntries(tools.map((tool) => [tool.name, toolObject(tool, author)]));
  const declarations: PluginDeclarations = {
    manifest,
    provider,
    tools: toolObjects,
    remote: {
      manifest: structuredClone(manifest),
      // As a list with `name`: the daemon decodes a JSON object of credentials through a Go map, which
      // loses the form order (dify-plugin-daemon tool_declaration.go UnmarshalJSON).
      tools: [
        {
          identity: structuredClone(identity),
          credentials_schema: PROVIDER_CREDENTIALS.map((f) => ({ name: f.name, ...credentialObject(f) })),
          tools: tools.map((tool) => ({ ...toolObject(tool, author), has_runtime_parameters: false })),
        },
      ],
      assets: [{ filename: ICON_FILENAME, data: Buffer.from(PLUGIN_ICON_SVG, 'utf8') }],
    },
  };
  assertValidPluginFiles(declarationFileMap(declarations), new Set([ICON_FILENAME]));
  return declarations;
}

/** The declaration objects by package path, as {@link validatePluginFiles} reads them. */
export function declarationFileMap(declarations: PluginDeclarations): Map<string, unknown> {
  return new Map<string, unknown>([
    ['manifest.yaml', declarations.manifest],
    [PROVIDER_PATH, declarations.provider],
    ...Object.entries(declarations.tools).map(([name, tool]): [string, unknown] => [toolPath(name), tool]),
  ]);
}

/** The YAML files of the package (path → text), in the order they go into the zip. */
export function declarationFiles(declarations: PluginDeclarations): Array<{ path: string; text: string }> {
  const yaml = (value: unknown): string => stringify(value, { lineWidth: 0 });
  return [
    { path: 'manifest.yaml', text: yaml(declarations.manifest) },
    { path: PROVIDER_PATH, text: yaml(declarations.provider) },
    ...Object.entries(declarations.tools).map(([name, tool]) => ({ path: toolPath(name), text: yaml(tool) })),
  ];
}

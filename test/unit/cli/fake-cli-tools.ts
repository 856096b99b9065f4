// Fake tool declarations for the CLI tests: one parameter of every type, and tools that yield every
// message kind, a blob of a given size (or a lying size), progress events and failures.
import { Readable } from 'node:stream';
import { z } from 'zod';
import { AppError } from '../../../src/errors.js';
import type { AnyToolDeclaration } from '../../../src/tools/registry.js';
import type { I18nText, ParamSpec, ToolMessage } from '../../../src/tools/tool-declaration.js';

export const i18n = (en: string): I18nText => ({ en_US: en, zh_Hans: en, ja_JP: en, pt_BR: en });

/** A ParamSpec with English texts. */
export function param(name: string, type: ParamSpec['type'], extra: Partial<ParamSpec> = {}): ParamSpec {
  return {
    name,
    type,
    form: 'llm',
    required: false,
    label: i18n(name),
    humanDescription: i18n(`The ${name}.`),
    llmDescription: `the ${name}`,
    ...extra,
  };
}

/** A declaration around `handler`; `params` defaults to passing the raw parameters through. */
export function fakeTool(
  name: string,
  parameters: ParamSpec[],
  handler: (params: Record<string, unknown>) => AsyncIterable<ToolMessage>,
  params: z.ZodType = z.record(z.string(), z.unknown()),
): AnyToolDeclaration {
  return {
    name,
    label: i18n(name),
    description: i18n(`Fake tool ${name}. It is only for tests.`),
    llmDescription: `fake ${name}`,
    parameters,
    params,
    outputSchema: { type: 'object', properties: {} },
    annotations: {},
    handler: (values) => handler(values as Record<string, unknown>),
  };
}

/** Deterministic bytes: byte i is (i * 7 + 3) mod 251. */
export function patternBytes(size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) out[i] = (i * 7 + 3) % 251;
  return out;
}

/** Every parameter type, with the names the real tools use. */
export const ALL_TYPES_PARAMS: ParamSpec[] = [
  param('file', 'file', { required: true }),
  param('files', 'files'),
  param('directory', 'string', { required: true }),
  param('sign_expired', 'number', { default: 3600, min: 1, max: 604800 }),
  param('signed', 'boolean', { default: false }),
  param('directory_mode', 'select', {
    default: 'no_subdirectory',
    options: [
      { value: 'no_subdirectory', label: i18n('none') },
      { value: 'yyyy_mm_dd_hierarchy', label: i18n('dates') },
    ],
  }),
];

/** Tools for program tests: `echo_params`, `emit_all`, `emit_blob`, `fail_after_text`, `fail_with`, `throw_plain`. */
export function fakeTools(): AnyToolDeclaration[] {
  return [
    fakeTool('echo_params', ALL_TYPES_PARAMS, async function* (params) {
      yield { type: 'json', json: params };
    }),
    fakeTool('emit_all', [], async function* () {
      yield { type: 'text', text: 'hello 你好' };
      yield { type: 'json', json: { ok: true } };
      yield { type: 'link', url: 'https://example.com/x' };
      yield { type: 'variable', name: 'answer', value: 42 };
    }),
    fakeTool('emit_blob', [param('size', 'number'), param('lie', 'boolean')], async function* (params) {
      const size = Number(params.size ?? 0);
      const bytes = patternBytes(size);
      const claimed = params.lie === true ? size + 10 : size;
      yield {
        type: 'blob',
        stream: Readable.from([bytes]),
        size: claimed,
        filename: '../报告 #1.bin',
        mimeType: 'application/octet-stream',
      };
      yield { type: 'text', text: 'done' };
    }),
    fakeTool('fail_after_text', [], async function* () {
      yield { type: 'text', text: 'started' };
      throw new AppError('OSS_ACCESS_DENIED', 'Denied for key a.txt');
    }),
    fakeTool('fail_with', [param('message', 'string')], async function* (params) {
      yield* [];
      throw new AppError('DOWNLOAD_FAILED', String(params.message));
    }),
    fakeTool('throw_plain', [], async function* () {
      yield* [];
      throw new TypeError('boom');
    }),
  ];
}

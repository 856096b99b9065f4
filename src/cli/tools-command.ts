// `oss-dify tools`: lists every registry tool with a one-line description and its flags, as text or,
// with `--json`, one JSON object per tool.
import type { Command } from 'commander';
import type { AnyToolDeclaration } from '../tools/registry.js';
import type { ParamSpec } from '../tools/tool-declaration.js';
import type { CliIo } from './cli-io.js';
import { flagNameOf, toCliName } from './cli-names.js';

/** One tool as `oss-dify tools --json` prints it. */
export interface ToolSummary {
  name: string;
  command: string;
  description: string;
  parameters: Array<{
    name: string;
    flag: string;
    type: ParamSpec['type'];
    required: boolean;
    default?: string | number | boolean;
    options?: string[];
    description: string;
  }>;
}

/** The first sentence (or line) of a description, for one-line listings. */
export function firstSentence(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  const end = line.search(/\.(\s|$)|。/);
  return end === -1 ? line : line.slice(0, end + 1);
}

/** A tool's summary, in English. */
export function summarizeTool(tool: AnyToolDeclaration): ToolSummary {
  return {
    name: tool.name,
    command: `oss-dify tool ${toCliName(tool.name)}`,
    description: firstSentence(tool.description.en_US),
    parameters: tool.parameters.map((param) => ({
      name: param.name,
      flag: flagNameOf(param),
      type: param.type,
      required: param.required,
      ...(param.default === undefined ? {} : { default: param.default }),
      ...(param.options ? { options: param.options.map((option) => option.value) } : {}),
      description: firstSentence(param.humanDescription.en_US),
    })),
  };
}

/** The text listing of tools: a header line per tool, then one indented line per parameter. */
export function formatToolList(tools: readonly AnyToolDeclaration[]): string {
  return tools
    .map((tool) => {
      const summary = summarizeTool(tool);
      const lines = [`${summary.name}  (${summary.command})`, `  ${summary.description}`];
      for (const param of summary.parameters) {
        const notes = [
          param.type,
          param.required ? 'required' : 'optional',
          ...(param.options ? [`one of ${param.options.join('|')}`] : []),
          ...(param.default === undefined || param.default === ''
            ? []
            : [`default ${String(param.default)}`]),
        ];
        lines.push(`    ${param.flag}  ${notes.join(', ')}: ${param.description}`);
      }
      return lines.join('\n');
    })
    .join('\n\n');
}

/** Adds `tools [--json]`. */
export function addToolsCommand(program: Command, io: CliIo, tools: readonly AnyToolDeclaration[]): void {
  program
    .command('tools')
    .description('list the tools with their parameters')
    .option('--json', 'one JSON object per tool')
    .action((options: { json?: boolean }) => {
      if (options.json) {
        for (const tool of tools) io.stdout.write(`${JSON.stringify(summarizeTool(tool))}\n`);
        return;
      }
      io.stdout.write(tools.length === 0 ? 'No tools are registered.\n' : `${formatToolList(tools)}\n`);
    });
}

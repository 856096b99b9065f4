// `oss-dify tool <name> [--<param> value ...] [--json] [--out DIR]`: one subcommand per registry tool,
// its flags generated from the tool's parameters, run through invokeTool like every other face.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createLogger, type LogLevel } from '../config/logger.js';
import { AppError } from '../errors.js';
import { invokeTool } from '../tools/invoke.js';
import type { AnyToolDeclaration } from '../tools/registry.js';
import type { CliIo } from './cli-io.js';
import { toCliName } from './cli-names.js';
import { type EmulatorLoader, resolveConnection } from './connection.js';
import { paramOptions, rawParamsFrom } from './param-options.js';
import { createProgressReporter } from './progress.js';
import { renderMessage } from './render-messages.js';

/** What the tool commands run against; tests pass fake tools. */
export interface ToolCommandDeps {
  tools: readonly AnyToolDeclaration[];
  loadEmulator?: EmulatorLoader;
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/**
 * Adds `tool` with one subcommand per tool, named by {@link toCliName} (`upload-file`) with the registry
 * name as an alias (`upload_file`). An unknown name fails with TOOL_NOT_FOUND.
 */
export function addToolCommand(program: Command, io: CliIo, deps: ToolCommandDeps): void {
  const parent = program
    .command('tool')
    .description('run a tool: oss-dify tool <name> [--<param> value ...] [--json] [--out DIR]')
    .argument('[name]', 'tool name, e.g. upload-file or upload_file')
    .allowUnknownOption()
    .allowExcessArguments()
    .action((name: string | undefined, _options: unknown, command: Command) => {
      if (name === undefined) command.help({ error: true });
      const names = deps.tools.map((tool) => toCliName(tool.name)).join(', ');
      throw new AppError('TOOL_NOT_FOUND', `No tool named "${name}"; tools: ${names}`, {
        details: { tool: name },
      });
    });

  for (const tool of deps.tools) {
    const cliName = toCliName(tool.name);
    const sub = parent.command(cliName).description(tool.description.en_US);
    if (cliName !== tool.name) sub.alias(tool.name);
    const options = paramOptions(tool.parameters);
    for (const { option, negation } of options) {
      sub.addOption(option);
      if (negation) sub.addOption(negation);
    }
    sub
      .option('--json', 'print each tool message as one JSON line')
      .option('--out <dir>', 'directory where downloaded files are saved (default: the working directory)')
      .action(async (values: Record<string, unknown>) => {
        const params = rawParamsFrom(options, values, io.cwd);
        await runTool(
          tool,
          params,
          { json: values.json === true, outDir: outDirOf(values.out, io.cwd) },
          io,
          deps,
        );
      });
  }
}

function outDirOf(out: unknown, cwd: string): string {
  return typeof out === 'string' && out.trim() !== '' ? resolve(cwd, out) : cwd;
}

/** Output choices of one run. */
export interface RunToolOptions {
  json: boolean;
  outDir: string;
}

/**
 * Runs `tool` with raw parameters and writes its messages to `io.stdout`. Progress goes to stderr as a
 * bar (TTY only, large transfers only); logs go to stderr at `OSS_DIFY_LOG_LEVEL` (default `warn`).
 * @throws AppError from the tool, the settings or saving a blob; the caller renders it.
 */
export async function runTool(
  tool: AnyToolDeclaration,
  params: Record<string, unknown>,
  options: RunToolOptions,
  io: CliIo,
  deps: ToolCommandDeps,
): Promise<void> {
  const signal = io.signal ?? new AbortController().signal;
  const connection = await resolveConnection(io, deps.loadEmulator);
  const progress = createProgressReporter({ stream: io.stderr });
  const envLevel = io.env.OSS_DIFY_LOG_LEVEL as LogLevel | undefined;
  const logger = createLogger({
    sink: io.stderr,
    name: 'cli',
    level: envLevel && LOG_LEVELS.includes(envLevel) ? envLevel : 'warn',
  });
  const onProgress = progress.update.bind(progress);
  try {
    const messages = invokeTool(tool.name, params, {
      settings: connection.settings,
      face: 'cli',
      signal,
      logger,
      onProgress,
      tools: deps.tools,
    });
    for await (const message of messages) {
      await renderMessage(message, {
        json: options.json,
        outDir: options.outDir,
        write: (text) => {
          progress.interrupt();
          io.stdout.write(text);
        },
        signal,
        onProgress,
      });
    }
  } finally {
    progress.stop();
    await connection.close();
  }
}

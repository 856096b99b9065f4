// Runs the real `oss-dify` command (node bin/oss-dify.js) as a child process, for the CLI integration
// tests: a temp working directory, an environment free of the parent's OSS settings.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The command's entry. */
export const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'oss-dify.js');

/** What a finished run printed and returned. */
export interface SpawnResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The parent's environment without any OSS setting, plus `extra`. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('OSS_') && !name.startsWith('REMOTE_INSTALL')) env[name] = value;
  }
  return { ...env, ...extra };
}

/** Starts `oss-dify <argv>`; the caller collects or signals it. */
export function startCli(argv: string[], cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [BIN, ...argv], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with the outputs once `child` has exited and its pipes are drained. */
export function collect(child: ChildProcess): Promise<SpawnResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs `oss-dify <argv>` to completion. */
export function runBin(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<SpawnResult> {
  return collect(startCli(argv, cwd, env));
}

/** The `--json` lines of a run, parsed. */
export function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

// What every CLI command reads and writes, injected so tests run commands in-process with their own
// streams, environment and working directory; main.ts passes the real process's.

/** An output stream that may be a terminal. */
export interface OutputStream extends NodeJS.WritableStream {
  isTTY?: boolean;
  columns?: number;
}

/** The process surface a command may touch. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  /** Base for relative paths, `--out` and the embedded emulator's `./.oss-data`. */
  cwd: string;
  /** Aborted on Ctrl-C; long-running commands (emulator, serve) stop cleanly when it fires. */
  signal?: AbortSignal;
}

/** Process exit statuses of `oss-dify`. */
export const EXIT_CODES = {
  OK: 0,
  /** The tool or command failed (`error CODE: message` on stderr). */
  FAILURE: 1,
  /** The command line is wrong: unknown option or command, missing or invalid parameter. */
  USAGE: 2,
  /** Stopped by Ctrl-C or SIGTERM. */
  CANCELLED: 130,
} as const;

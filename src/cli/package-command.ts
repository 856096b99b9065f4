// `oss-dify package`: builds the installable `.difypkg` through buildPackage (src/dify/package.ts),
// imported lazily because only this command needs esbuild and the packaging code.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';

/** What the command passes to buildPackage. */
export interface PackageRequest {
  outDir: string;
  author?: string;
  signKeyPath?: string;
}

/** The packaging module's contract as the CLI uses it. */
export interface PackageModule {
  buildPackage(options: PackageRequest): Promise<{ path: string; size?: number }>;
}

/** Loads the packaging module (lazily: it pulls in esbuild). */
export type PackageLoader = () => Promise<PackageModule>;

/** Flags of `package` as commander parses them. */
interface PackageFlags {
  out?: string;
  author?: string;
  signKey?: string;
}

/**
 * Adds `package [--out DIR] [--author NAME] [--sign-key PEM]`; prints the package path on stdout.
 * @throws AppError from buildPackage (INVALID_ARGUMENT for a bad author, DIFY_PACKAGE_FAILED).
 */
export function addPackageCommand(
  program: Command,
  io: CliIo,
  load: PackageLoader = () => import('../dify/package.js'),
): void {
  program
    .command('package')
    .description('build the Dify plugin package (aliyun_oss-<version>.difypkg)')
    .option('--out <dir>', 'output directory (default: the working directory)')
    .option('--author <name>', 'plugin author (default: the author in package.json)')
    .option('--sign-key <pem>', 'private key file (PEM) to sign the package for FORCE_VERIFYING_SIGNATURE')
    .action(async (flags: PackageFlags) => {
      const { buildPackage } = await load();
      const result = await buildPackage({
        outDir: resolve(io.cwd, flags.out ?? '.'),
        ...(flags.author ? { author: flags.author } : {}),
        ...(flags.signKey ? { signKeyPath: resolve(io.cwd, flags.signKey) } : {}),
      });
      const size = result.size === undefined ? '' : ` (${result.size} bytes)`;
      io.stdout.write(`${result.path}${size}\n`);
    });
}

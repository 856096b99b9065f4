// Builds the installable `aliyun_oss-<version>.difypkg`: generated YAML, icon, README/PRIVACY, the esbuild
// bundle and the Python shim that execs Node (dify-protocol.md §7, daemon-runtime.md §1.5 and §3).
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZipFile } from 'yazl';
import { AppError } from '../errors.js';
import { type AnyToolDeclaration, TOOL_REGISTRY } from '../tools/registry.js';
import {
  buildDeclarations,
  declarationFiles,
  ICON_FILENAME,
  PLUGIN_ICON_SVG,
  PLUGIN_NAME,
} from './declarations.js';
import { signatureComment, VERIFICATION_FILE, verificationBytes } from './signature.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where the bundle goes inside the package; packaging/main.py execs `node <this>`. */
export const BUNDLE_PATH_IN_PACKAGE = 'dist/main.mjs';
/** The package must stay under this size (bytes), far below the daemon's 50 MiB default. */
export const MAX_PACKAGE_BYTES = 5 * 1024 * 1024;
/** Timestamp of every zip entry, fixed so that unsigned builds are byte-for-byte reproducible. */
const ENTRY_MTIME = new Date('2026-01-01T00:00:00Z');
// ESM bundles of CommonJS dependencies need a real `require` for Node built-ins.
const REQUIRE_SHIM =
  "import { createRequire as __ossCreateRequire } from 'node:module';\nconst require = __ossCreateRequire(import.meta.url);";

/** Options of {@link bundlePlugin}. */
export interface BundleOptions {
  /** Output file; default `dist/plugin/main.mjs` in the repository. */
  outFile?: string;
  /** Entry module; default `src/dify/main.ts`. */
  entry?: string;
}

/**
 * Bundles the Dify runtime into ONE ES module for Node 20+ (no node_modules needed at install time).
 * esbuild is imported lazily: only packaging needs it.
 */
export async function bundlePlugin(options: BundleOptions = {}): Promise<{ path: string; size: number }> {
  const outFile = options.outFile ?? join(ROOT, 'dist', 'plugin', 'main.mjs');
  const { build } = await import('esbuild');
  await build({
    entryPoints: [options.entry ?? join(ROOT, 'src', 'dify', 'main.ts')],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    keepNames: true,
    legalComments: 'eof',
    banner: { js: REQUIRE_SHIM },
    // Lets an entry outside the repository (tests, scratch files) resolve the repository's dependencies.
    nodePaths: [join(ROOT, 'node_modules')],
    logLevel: 'warning',
  });
  return { path: outFile, size: (await stat(outFile)).size };
}

/** Options of {@link buildPackage}. */
export interface PackageOptions {
  /** Directory the `.difypkg` is written to (created if missing). */
  outDir: string;
  /** Plugin author; default the `author` of package.json. Must match `^[a-z0-9_-]{1,64}$`. */
  author?: string;
  /** PEM RSA private key to sign with (the daemon's third-party format); unsigned when absent. */
  signKeyPem?: string;
  /** Path of a PEM file holding that key (what `oss-dify package --sign-key` passes). */
  signKeyPath?: string;
  /** A ready bundle to ship instead of bundling `src/dify/main.ts` now. */
  bundleFile?: string;
  /** Tools to declare; default the registry. */
  tools?: readonly AnyToolDeclaration[];
}

/** One zip entry: its path in the package and its bytes. */
export interface PackageEntry {
  path: string;
  data: Buffer;
}

async function packageJson(): Promise<{ version: string; author: string }> {
  const parsed = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
    version?: unknown;
    author?: unknown;
  };
  const author = typeof parsed.author === 'string' ? parsed.author : '';
  return { version: String(parsed.version), author: author.replace(/\s*[<(].*$/, '').trim() };
}

/**
 * The files of the package in zip order (the order the signature hashes them).
 * @throws AppError DIFY_DECLARATION_INVALID when the declarations break a rule.
 */
export async function packageEntries(options: {
  author: string;
  version: string;
  bundle: Buffer;
  tools?: readonly AnyToolDeclaration[];
}): Promise<PackageEntry[]> {
  const declarations = buildDeclarations(options.tools ?? TOOL_REGISTRY, {
    author: options.author,
    version: options.version,
  });
  const packaging = (name: string): Promise<Buffer> => readFile(join(ROOT, 'packaging', name));
  return [
    ...declarationFiles(declarations).map((file) => ({
      path: file.path,
      data: Buffer.from(file.text, 'utf8'),
    })),
    { path: `_assets/${ICON_FILENAME}`, data: Buffer.from(PLUGIN_ICON_SVG, 'utf8') },
    { path: 'README.md', data: await packaging('README.md') },
    { path: 'PRIVACY.md', data: await packaging('PRIVACY.md') },
    { path: 'requirements.txt', data: await packaging('requirements.txt') },
    { path: 'main.py', data: await packaging('main.py') },
    { path: BUNDLE_PATH_IN_PACKAGE, data: options.bundle },
  ];
}

/** Writes `entries` as a zip of files only (no folder entries, as the daemon's decoder needs). */
export function zipEntries(entries: readonly PackageEntry[], comment?: string): Promise<Buffer> {
  const zip = new ZipFile();
  for (const entry of entries) zip.addBuffer(entry.data, entry.path, { mtime: ENTRY_MTIME, mode: 0o100644 });
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.end(comment === undefined ? undefined : { comment, forceZip64Format: false });
  });
}

/**
 * Builds `aliyun_oss-<version>.difypkg` in `outDir`: bundles the runtime (unless `bundleFile` is given),
 * generates and validates the declarations, zips everything, and signs it when a key is given.
 * @throws AppError DIFY_DECLARATION_INVALID, INVALID_ARGUMENT (bad author or key), DIFY_PACKAGE_FAILED
 *   (bundle failed, or the package exceeds {@link MAX_PACKAGE_BYTES}).
 */
export async function buildPackage(options: PackageOptions): Promise<{ path: string; size: number }> {
  const pkg = await packageJson();
  const author = options.author ?? pkg.author;
  if (!/^[a-z0-9_-]{1,64}$/.test(author))
    throw new AppError(
      'INVALID_ARGUMENT',
      `Author "${author}" must match ^[a-z0-9_-]{1,64}$ (the daemon's rule)`,
      {
        details: { option: 'author' },
      },
    );
  const keyPem =
    options.signKeyPem ?? (options.signKeyPath ? await readFile(options.signKeyPath, 'utf8') : undefined);
  const bundle = options.bundleFile ? await readFile(options.bundleFile) : await freshBundle();
  const entries = await packageEntries({
    author,
    version: pkg.version,
    bundle,
    ...(options.tools ? { tools: options.tools } : {}),
  });
  let comment: string | undefined;
  if (keyPem !== undefined) {
    entries.push({ path: VERIFICATION_FILE, data: verificationBytes('community') });
    comment = signatureComment(
      entries.map((entry) => entry.data),
      keyPem,
    );
  }
  const zip = await zipEntries(entries, comment);
  if (zip.length > MAX_PACKAGE_BYTES)
    throw new AppError(
      'DIFY_PACKAGE_FAILED',
      `The package is ${zip.length} bytes, over ${MAX_PACKAGE_BYTES}`,
      {
        details: { size: zip.length, limit: MAX_PACKAGE_BYTES },
      },
    );
  await mkdir(options.outDir, { recursive: true });
  const path = join(options.outDir, `${PLUGIN_NAME}-${pkg.version}.difypkg`);
  await writeFile(path, zip);
  return { path, size: zip.length };
}

async function freshBundle(): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'oss-dify-bundle-'));
  try {
    const { path } = await bundlePlugin({ outFile: join(dir, 'main.mjs') });
    return await readFile(path);
  } catch (error) {
    throw new AppError('DIFY_PACKAGE_FAILED', 'Bundling the plugin with esbuild failed', { cause: error });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

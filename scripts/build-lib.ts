// `npm run build:lib`: the library build behind package.json `exports`: dist/lib/index.js (the OSS client
// API of src/index.ts) and dist/lib/emulator/server.js (the emulator), ESM with dependencies left to
// node_modules, plus .d.ts files from tsc.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');

await build({
  entryPoints: { index: join(ROOT, 'src/index.ts'), 'emulator/server': join(ROOT, 'src/emulator/server.ts') },
  outdir: join(ROOT, 'dist/lib'),
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'error',
});
execFileSync(
  process.execPath,
  [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.lib.json')],
  {
    stdio: 'inherit',
  },
);
process.stdout.write('library built in dist/lib\n');

// `npm run build`: bundles the Dify runtime into dist/plugin/main.mjs; with `--package` also writes the
// .difypkg (options: --out DIR, --author NAME, --sign-key PEM), as `oss-dify package` does.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildPackage, bundlePlugin } from '../src/dify/package.js';

const { values } = parseArgs({
  options: {
    package: { type: 'boolean', default: false },
    out: { type: 'string', default: 'dist' },
    author: { type: 'string' },
    'sign-key': { type: 'string' },
  },
});

const bundle = await bundlePlugin();
process.stdout.write(`bundle ${bundle.path} (${bundle.size} bytes)\n`);
if (values.package) {
  const result = await buildPackage({
    outDir: resolve(values.out),
    bundleFile: bundle.path,
    ...(values.author ? { author: values.author } : {}),
    ...(values['sign-key'] ? { signKeyPath: resolve(values['sign-key']) } : {}),
  });
  process.stdout.write(`package ${result.path} (${result.size} bytes)\n`);
}

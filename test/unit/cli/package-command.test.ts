import { describe, expect, it } from 'vitest';
import type { PackageRequest } from '../../../src/cli/package-command.js';
import { AppError } from '../../../src/errors.js';
import { run } from './cli-harness.js';

describe('oss-dify package', () => {
  it('passes --out, --author and --sign-key resolved against the working directory and prints the path', async () => {
    const calls: PackageRequest[] = [];
    const loadPackage = async () => ({
      buildPackage: async (options: PackageRequest) => {
        calls.push(options);
        return { path: `${options.outDir}/aliyun_oss-0.1.0.difypkg`, size: 1234 };
      },
    });
    const result = await run(['package', '--out', 'dist', '--author', 'me', '--sign-key', 'keys/k.pem'], {
      cwd: '/w',
      deps: { loadPackage },
    });
    expect(result).toEqual({
      code: 0,
      stdout: '/w/dist/aliyun_oss-0.1.0.difypkg (1234 bytes)\n',
      stderr: '',
    });
    expect(calls).toEqual([{ outDir: '/w/dist', author: 'me', signKeyPath: '/w/keys/k.pem' }]);
  });

  it('renders a packaging failure as its error code', async () => {
    const loadPackage = async () => ({
      buildPackage: async (): Promise<never> => {
        throw new AppError('INVALID_ARGUMENT', 'Author "A B" must match ^[a-z0-9_-]{1,64}$');
      },
    });
    const result = await run(['package', '--author', 'A B'], { cwd: '/w', deps: { loadPackage } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error INVALID_ARGUMENT: Author "A B" must match ^[a-z0-9_-]{1,64}$\n');
  });
});

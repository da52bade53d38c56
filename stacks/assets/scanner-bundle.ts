/**
 * Builds the member scanner's deployment package locally with esbuild (no Docker): one ESM bundle,
 * plus the YARA and secret rules it loads at cold start. The asset hash is the bundle's, so the key
 * changes exactly when the code or rules change and the StackSet rolls the new code out.
 */
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import type { AssetOptions } from 'aws-cdk-lib/aws-s3-assets';
import { buildSync } from 'esbuild';
import { repoPath } from '../common/repo-paths.js';

/** The scanner handler's entry file. */
export const SCANNER_ENTRY = 'member/scanner/handler.ts';

const localBundling: ILocalBundling = {
  tryBundle(outputDir: string): boolean {
    buildSync({
      entryPoints: [repoPath(SCANNER_ENTRY)],
      outfile: join(outputDir, 'index.mjs'),
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'esm',
      minify: true,
      sourcemap: true,
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
      logLevel: 'warning',
    });
    for (const folder of ['rules/yara', 'rules/secrets']) {
      if (existsSync(repoPath(folder))) cpSync(repoPath(folder), join(outputDir, folder), { recursive: true });
    }
    return true;
  },
};

/** Asset options that bundle the scanner from the repository root. */
export function scannerBundleOptions(): AssetOptions & { path: string } {
  return {
    path: repoPath('member'),
    assetHashType: AssetHashType.OUTPUT,
    bundling: { image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24'), local: localBundling },
  };
}

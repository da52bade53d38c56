/**
 * Builds the member scanner's deployment package locally with esbuild (no Docker): one ESM bundle,
 * the YARA-X engine beside it (a native addon esbuild cannot inline: its package and the linux-x64
 * binary are copied into node_modules/), the YARA helper script beside index.mjs (yara-process.ts
 * looks for it next to the code that starts it), and the YARA and secret rules it loads at cold
 * start. The asset hash is the output's, so the key changes exactly when code, engine or rules change and the
 * StackSet rolls the new code out.
 */
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import type { AssetOptions } from 'aws-cdk-lib/aws-s3-assets';
import { buildSync } from 'esbuild';
import { repoPath } from '../common/repo-paths.js';

/** The scanner handler's entry file. */
export const SCANNER_ENTRY = 'member/scanner/handler.ts';

/** The YARA-X packages the function loads at run time: the loader and the binary for Lambda's x86_64 Linux. */
export const SCANNER_NATIVE_PACKAGES = ['@litko/yara-x', '@litko/yara-x-linux-x64-gnu'] as const;

/** The helper process that runs YARA scans with a time limit: plain JavaScript, copied as it is. */
export const SCANNER_YARA_HELPER = 'member/scanner/yara/yara-child.mjs';

/** Writes the scanner's package into `outputDir`: index.mjs, yara-child.mjs, node_modules/ with YARA-X, rules/. */
export function bundleScanner(outputDir: string): void {
  buildSync({
    entryPoints: [repoPath(SCANNER_ENTRY)],
    outfile: join(outputDir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: true,
    sourcemap: true,
    external: ['@litko/yara-x'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
  cpSync(repoPath(SCANNER_YARA_HELPER), join(outputDir, 'yara-child.mjs'));
  for (const name of SCANNER_NATIVE_PACKAGES) {
    const from = repoPath(join('node_modules', name));
    if (!existsSync(from)) throw new Error(`${name} is not installed: run npm ci on x86_64 Linux (or install it with --force) before synthesizing`);
    cpSync(from, join(outputDir, 'node_modules', name), { recursive: true });
  }
  for (const folder of ['rules/yara', 'rules/secrets']) {
    if (existsSync(repoPath(folder))) cpSync(repoPath(folder), join(outputDir, folder), { recursive: true });
  }
}

const localBundling: ILocalBundling = {
  tryBundle(outputDir: string): boolean {
    bundleScanner(outputDir);
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

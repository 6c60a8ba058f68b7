import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { PROJECT_ROOT } from '../paths.js';
import { join } from 'node:path';

export interface PageBundle {
  js: string;
  css: string;
  bytes: number;
  gzipBytes: number;
}

/** Bundles the page (its code, Lit and the Discord message components) in memory with esbuild. */
export async function bundlePage(): Promise<PageBundle> {
  const result = await build({
    entryPoints: [join(PROJECT_ROOT, 'src/sandbox/page/main.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    outdir: 'out',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const js = result.outputFiles.find((file) => file.path.endsWith('.js'))?.text ?? '';
  const css = result.outputFiles.find((file) => file.path.endsWith('.css'))?.text ?? '';
  const bytes = Buffer.byteLength(js) + Buffer.byteLength(css);
  return { js, css, bytes, gzipBytes: gzipSync(js).length + gzipSync(css).length };
}

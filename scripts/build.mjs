// npm run build: bundles the bot and its operator tools into dist/ with esbuild, then writes the build
// stamp `npm start` compares with the sources. Plain JavaScript so it runs on a bare Node install.
//
// Why a bundle rather than tsc's one file per module: Node resolves every ESM file of a package
// against that package's package.json, and drizzle-orm's is 180 kB; its ~110 files alone cost
// 0.4–1 s of start-up. Bundled, the bot starts in about a third of the time. Type errors are
// `npm run typecheck`'s job. Packages that must stay files on disk (native better-sqlite3,
// discord.js and its optional native add-ons, pino's worker transports, node-cron's forked
// background tasks) stay external and load from node_modules as usual.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const STAMP_FILE = '.build-stamp';

/** Pure-JavaScript dependencies worth inlining (many small ESM files each); all others stay external. */
const BUNDLED = new Set(['drizzle-orm', 'zod', 'feedsmith', 'yaml', 'entities', 'ipaddr.js', 'dotenv']);

/** Entry points, relative to the project root; each becomes dist/<same path>.js. */
// The bot, and the operator tools that must work after a production-only install (no tsx there).
export const ENTRY_POINTS = ['src/main.ts', 'scripts/backup.ts', 'scripts/restore.ts', 'scripts/doctor.ts', 'scripts/commands-clear.ts'];

export async function buildDist({ outDir = join(ROOT, 'dist') } = {}) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const external = Object.keys(pkg.dependencies ?? {})
    .filter((name) => !BUNDLED.has(name))
    .flatMap((name) => [name, `${name}/*`]);
  // Build next to dist/ and swap it in, so a running bot or test never sees a half-written build.
  const staging = `${outDir}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRY_POINTS,
    outbase: '.',
    outdir: staging,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    external,
    sourcemap: true,
    logLevel: 'warning',
    // Inlined CommonJS packages call require() for Node's built-ins.
    banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  });
  writeFileSync(join(staging, STAMP_FILE), `${new Date().toISOString()}\n`);
  rmSync(outDir, { recursive: true, force: true });
  renameSync(staging, outDir);
  return outDir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  buildDist().then(
    (outDir) => console.log(`built ${outDir} in ${Math.round(performance.now() - started)} ms`),
    (error) => {
      console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}

import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths.js';

/**
 * End-to-end tests start the bot exactly as `npm start` does, which runs the compiled `dist/`.
 * Build it once per test run, into a fresh folder swapped in at the end, so a run never starts a
 * half-written build.
 */
export default function buildOnce(): void {
  const staging = join(PROJECT_ROOT, `dist.building-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const build = spawnSync(
    process.execPath,
    [join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', staging],
    { cwd: PROJECT_ROOT, encoding: 'utf8' },
  );
  // Type errors are the typecheck step's job; here only a missing entry point is fatal.
  if (!existsSync(join(staging, 'src/main.js'))) {
    throw new Error(`build for end-to-end tests failed:\n${build.stdout}\n${build.stderr}`);
  }
  rmSync(join(PROJECT_ROOT, 'dist'), { recursive: true, force: true });
  renameSync(staging, join(PROJECT_ROOT, 'dist'));
}

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths.js';

/**
 * End-to-end tests start the bot exactly as `npm start` does, which runs the built `dist/`.
 * Build it once per test run with the same script `npm run build` runs (it builds into a fresh
 * folder swapped in at the end, so a run never starts a half-written build).
 */
export default function buildOnce(): void {
  const build = spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts/build.mjs')], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (build.status !== 0 || !existsSync(join(PROJECT_ROOT, 'dist/src/main.js'))) {
    throw new Error(`build for end-to-end tests failed:\n${build.stdout}\n${build.stderr}`);
  }
}

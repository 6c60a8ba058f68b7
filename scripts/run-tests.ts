// Runs the whole vitest suite and ends with one plain line, "N passed, N failed", for CI.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../src/paths.js';

const report = join(projectPath(), 'test-results.json');
rmSync(report, { force: true });
const run = spawnSync(
  process.execPath,
  [projectPath('node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: projectPath() },
);
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const results = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  passed = results.numPassedTests;
  failed = results.numFailedTests;
  skipped = results.numPendingTests + results.numTodoTests;
}
const exitCode = run.status ?? 1;
// A file that fails to load has no failed test in it, but the run still failed.
if (exitCode !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(exitCode !== 0 || failed > 0 || passed === 0 ? 1 : 0);

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectPath } from '../../../src/paths.js';

// The guard `npm start` preloads, run in a throw-away project layout so the real dist/ is untouched.
let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

function project(): string {
  root = mkdtempSync(join(tmpdir(), 'hml-guard-'));
  mkdirSync(join(root, 'scripts'));
  copyFileSync(projectPath('scripts/check-build.mjs'), join(root, 'scripts/check-build.mjs'));
  mkdirSync(join(root, 'src/domain'), { recursive: true });
  mkdirSync(join(root, 'locales'));
  writeFileSync(join(root, 'src/domain/a.ts'), 'export {};');
  writeFileSync(join(root, 'locales/en.json'), '{}');
  return root;
}

const start = (dir: string) =>
  spawnSync(process.execPath, ['--import', join(dir, 'scripts/check-build.mjs'), '-e', 'console.log("started")'], { encoding: 'utf8' });

const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

describe('npm start build check', () => {
  it('refuses with one line when dist/ was never built', () => {
    const result = start(project());
    expect(result.status).toBe(78);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual(['Not built: dist/ is missing or incomplete. Run `npm run build` first (see README.md, "Deploy").']);
  });

  it('refuses with one line naming the changed file when a source is newer than the build', () => {
    const dir = project();
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist/.build-stamp'), 'x');
    at(join(dir, 'dist/.build-stamp'), 1_000_000);
    at(join(dir, 'locales/en.json'), 1_000_000 - 10);
    at(join(dir, 'src/domain/a.ts'), 1_000_000 + 10);
    const result = start(dir);
    expect(result.status).toBe(78);
    expect(result.stderr.trim()).toBe('Out of date: src/domain/a.ts changed after the last build. Run `npm run build`, then start again.');
  });

  it('refuses when only a locale catalogue changed (it is bundled into the build)', () => {
    const dir = project();
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist/.build-stamp'), 'x');
    at(join(dir, 'dist/.build-stamp'), 1_000_000);
    at(join(dir, 'src/domain/a.ts'), 1_000_000 - 10);
    at(join(dir, 'locales/en.json'), 1_000_000 + 10);
    expect(start(dir).stderr).toContain('locales/en.json changed after the last build');
  });

  it('starts when the build is newer than every source', () => {
    const dir = project();
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist/.build-stamp'), 'x');
    at(join(dir, 'src/domain/a.ts'), 1_000_000 - 10);
    at(join(dir, 'locales/en.json'), 1_000_000 - 10);
    at(join(dir, 'dist/.build-stamp'), 1_000_000);
    const result = start(dir);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe('started');
  });
});

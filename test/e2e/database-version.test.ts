import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../src/db/client.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { startCommand, TEST_TOKEN } from '../support/bot-process.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const migrationRows = (path: string) => {
  const sqlite = new Database(path, { readonly: true });
  try {
    return sqlite.prepare('SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at').all();
  } finally {
    sqlite.close();
  }
};

describe('a database written by a newer release', () => {
  it('is refused at start with one clear line and left unchanged', () => {
    dir = mkdtempSync(join(tmpdir(), 'hml-dbver-'));
    const databasePath = join(dir, 'bot.sqlite');
    // This release's schema, plus one migration from "the future" that this release does not ship.
    const db = openDatabase(databasePath);
    db.$client.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('f'.repeat(64), Date.now() + 86_400_000);
    closeDatabase(db);
    const before = migrationRows(databasePath);

    const { command, args } = startCommand();
    const run = spawnSync(command, args, {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_URL: 'http://127.0.0.1:9/api', DATABASE_PATH: databasePath },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(78);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(/^Database too new: it has 1 migration\(s\) this release does not know/);
    expect(run.stdout).not.toContain('ready:');
    expect(migrationRows(databasePath)).toEqual(before);
  });

  it('a database from this release starts as before (migrations already applied are known)', () => {
    dir = mkdtempSync(join(tmpdir(), 'hml-dbver-'));
    const databasePath = join(dir, 'bot.sqlite');
    closeDatabase(openDatabase(databasePath));
    const db = openDatabase(databasePath);
    expect(db.$client.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get()).toEqual({ n: migrationRows(databasePath).length });
    closeDatabase(db);
  });
});

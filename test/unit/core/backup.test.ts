import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabase, BackupError, backupFileName, databaseInUse, restoreDatabase } from '../../../src/backup.js';
import { ConfigError, loadBackupConfig, loadConfig } from '../../../src/config.js';
import { closeDatabase, openDatabase, type Db } from '../../../src/db/client.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hml-backup-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const rows = (path: string, table: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`select * from ${table}`).all();
  } finally {
    db.close();
  }
};

describe('backupDatabase', () => {
  it('names backups by UTC date-time and keeps only the newest N, leaving other files alone', async () => {
    const dbPath = join(dir, 'bot.sqlite');
    closeDatabase(openDatabase(dbPath));
    const out = join(dir, 'backups');
    let now = Date.parse('2026-12-01T23:15:00Z');
    const clock = { now: () => now };
    const written: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      written.push(await backupDatabase(dbPath, out, 3, clock));
      now += 86_400_000;
    }
    expect(written[0]).toBe(join(out, 'bot-2026-12-01T23-15-00Z.sqlite'));
    writeFileSync(join(out, 'notes.txt'), 'keep me');
    writeFileSync(join(out, 'bot-manual.sqlite'), 'keep me too');
    await backupDatabase(dbPath, out, 3, clock);
    expect(readdirSync(out).sort()).toEqual([
      'bot-2026-12-04T23-15-00Z.sqlite',
      'bot-2026-12-05T23-15-00Z.sqlite',
      'bot-2026-12-06T23-15-00Z.sqlite',
      'bot-manual.sqlite',
      'notes.txt',
    ]);
    expect(backupFileName(Date.parse('2026-01-02T03:04:05.678Z'))).toBe('bot-2026-01-02T03-04-05Z.sqlite');
  });

  it('copies a database that is open and being written in WAL mode, with every committed row', async () => {
    const dbPath = join(dir, 'bot.sqlite');
    const db: Db = openDatabase(dbPath);
    db.$client.exec('create table probe (n integer)');
    const insert = db.$client.prepare('insert into probe values (?)');
    for (let n = 0; n < 500; n += 1) insert.run(n);
    expect(existsSync(`${dbPath}-wal`)).toBe(true);
    const path = await backupDatabase(db.$client, join(dir, 'out'), 14, { now: () => 0 });
    insert.run(500);
    closeDatabase(db);
    expect(rows(path, 'probe')).toHaveLength(500);
    expect(rows(path, '__drizzle_migrations').length).toBeGreaterThan(0);
  });
});

describe('restoreDatabase', () => {
  it('refuses while the bot has the database open, restores once it is closed, and keeps the old file aside', async () => {
    const dbPath = join(dir, 'bot.sqlite');
    const bot = openDatabase(dbPath);
    bot.$client.exec('create table probe (n integer)');
    bot.$client.prepare('insert into probe values (1)').run();
    const backup = await backupDatabase(bot.$client, join(dir, 'out'), 14, { now: () => 0 });
    bot.$client.prepare('insert into probe values (2)').run();

    expect(databaseInUse(dbPath)).toBe(true);
    expect(() => restoreDatabase(backup, dbPath)).toThrow(/appears to be running.*--force/);
    expect(rows(dbPath, 'probe')).toHaveLength(2);

    closeDatabase(bot);
    expect(databaseInUse(dbPath)).toBe(false);
    const result = restoreDatabase(backup, dbPath, { clock: { now: () => Date.parse('2026-12-01T23:30:00Z') } });
    expect(result.previous).toBe(`${dbPath}.before-restore-2026-12-01T23-30-00Z`);
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    expect(rows(dbPath, 'probe')).toEqual([{ n: 1 }]);
    expect(rows(String(result.previous), 'probe')).toHaveLength(2);
  });

  it('refuses a file that is not a SQLite database, or not this bot’s, and changes nothing', () => {
    const dbPath = join(dir, 'bot.sqlite');
    closeDatabase(openDatabase(dbPath));
    const text = join(dir, 'notes.sqlite');
    writeFileSync(text, 'not a database at all, just some text that is long enough to have a header');
    expect(() => restoreDatabase(text, dbPath)).toThrow(BackupError);
    expect(() => restoreDatabase(text, dbPath)).toThrow(/not a readable SQLite database/);
    const other = join(dir, 'other.sqlite');
    const foreign = new Database(other);
    foreign.exec('create table t (x)');
    foreign.close();
    expect(() => restoreDatabase(other, dbPath)).toThrow(/no __drizzle_migrations table/);
    expect(() => restoreDatabase(join(dir, 'missing.sqlite'), dbPath)).toThrow(/does not exist/);
    expect(readdirSync(dir).filter((name) => name.includes('before-restore'))).toEqual([]);
  });
});

describe('backup configuration', () => {
  it('needs no token, defaults BACKUP_DIR and BACKUP_KEEP, and validates BACKUP_CRON and BACKUP_KEEP', () => {
    expect(loadBackupConfig({ DATABASE_PATH: '/tmp/x.sqlite' }, false)).toEqual({ DATABASE_PATH: '/tmp/x.sqlite', BACKUP_DIR: './data/backups', BACKUP_KEEP: 14 });
    expect(() => loadBackupConfig({ BACKUP_KEEP: '0' }, false)).toThrow(ConfigError);
    const token = 'MTAwMDAwMDAwMDAwMDAwMDAw.GabcdE.abcdefghijklmnopqrstuvwxyz0123456789AB';
    expect(loadConfig({ DISCORD_TOKEN: token }, false).BACKUP_CRON).toBeUndefined();
    expect(loadConfig({ DISCORD_TOKEN: token, BACKUP_CRON: '15 3 * * *' }, false).BACKUP_CRON).toBe('15 3 * * *');
    expect(() => loadConfig({ DISCORD_TOKEN: token, BACKUP_CRON: 'daily' }, false)).toThrow(/BACKUP_CRON must be a cron expression/);
  });
});

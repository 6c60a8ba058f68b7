import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, copyFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from './domain/clock.js';

/** bot-2026-12-01T23-15-00Z.sqlite: sortable by name, no characters a file system refuses. */
export const BACKUP_FILE = /^bot-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.sqlite$/;

export function backupFileName(at: number): string {
  return `bot-${new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z').replaceAll(':', '-')}.sqlite`;
}

export class BackupError extends Error {}

/**
 * Copies the live database with SQLite's online backup API (consistent while the bot writes, WAL
 * included) to `dir`, under a temporary name first so a half-written file never looks like a
 * backup, then keeps only the newest `keep` backups. `source` is a path or the bot's own connection.
 */
export async function backupDatabase(source: string | Database.Database, dir: string, keep: number, clock: Clock): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const target = join(dir, backupFileName(clock.now()));
  const temporary = `${target}.partial`;
  const ownConnection = typeof source === 'string';
  if (ownConnection && !existsSync(source)) throw new BackupError(`Backup failed: no database at ${source}`);
  const db = ownConnection ? new Database(source, { readonly: true, fileMustExist: true }) : source;
  try {
    rmSync(temporary, { force: true });
    await db.backup(temporary);
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  } finally {
    if (ownConnection) db.close();
  }
  rotateBackups(dir, keep);
  return target;
}

/** Deletes all but the newest `keep` files named like backups; nothing else in the folder. */
export function rotateBackups(dir: string, keep: number): string[] {
  const backups = readdirSync(dir).filter((name) => BACKUP_FILE.test(name)).sort();
  const old = backups.slice(0, Math.max(0, backups.length - Math.max(1, keep)));
  for (const name of old) rmSync(join(dir, name), { force: true });
  return old;
}

/** Throws unless `file` is an intact SQLite database holding the bot's migrations table. */
export function checkBackup(file: string): void {
  if (!existsSync(file)) throw new BackupError(`Restore refused: ${file} does not exist`);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new BackupError(`Restore refused: ${file} failed the integrity check (${String(integrity)})`);
    const migrations = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
    if (!migrations) throw new BackupError(`Restore refused: ${file} is not a database of this bot (no __drizzle_migrations table)`);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`Restore refused: ${file} is not a readable SQLite database (${(error as Error).message})`);
  } finally {
    db?.close();
  }
}

/**
 * True when another connection (the bot) has the database open. An idle WAL connection holds no
 * write lock, so BEGIN EXCLUSIVE alone would pass; taking the exclusive locking mode and reading
 * needs every other connection gone. Only checked when the -wal file exists (the bot keeps one).
 */
export function databaseInUse(dbPath: string): boolean {
  if (!existsSync(dbPath) || !existsSync(`${dbPath}-wal`)) return false;
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    db.exec('ROLLBACK');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY') || (error as { code?: string }).code?.startsWith('SQLITE_LOCKED')) return true;
    throw error;
  } finally {
    db.close();
  }
}

export interface RestoreOptions {
  force?: boolean;
  clock?: Clock;
}

export interface RestoreResult {
  restored: string;
  /** Where the previous database went, when there was one. */
  previous?: string;
}

/**
 * Replaces the database at `dbPath` with the backup `file`, after checking the backup and that the
 * bot is not running. The old database is moved aside (never deleted) and its -wal/-shm removed, so
 * SQLite cannot replay an old journal onto the restored file.
 */
export function restoreDatabase(file: string, dbPath: string, options: RestoreOptions = {}): RestoreResult {
  checkBackup(file);
  if (!options.force && databaseInUse(dbPath)) {
    throw new BackupError(`Restore refused: the bot appears to be running on ${dbPath} (database locked); stop it first, or pass --force`);
  }
  mkdirSync(dirname(dbPath), { recursive: true });
  const stamp = backupFileName((options.clock ?? { now: () => Date.now() }).now()).slice('bot-'.length, -'.sqlite'.length);
  let previous: string | undefined;
  if (existsSync(dbPath)) {
    // Fold the old WAL into the file being moved aside, so it stays a complete database.
    if (existsSync(`${dbPath}-wal`)) checkpoint(dbPath);
    previous = `${dbPath}.before-restore-${stamp}`;
    renameSync(dbPath, previous);
  }
  for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${dbPath}${suffix}`, { force: true });
  const temporary = join(dirname(dbPath), `.${basename(dbPath)}.restoring`);
  copyFileSync(file, temporary);
  renameSync(temporary, dbPath);
  return { restored: dbPath, ...(previous ? { previous } : {}) };
}

function checkpoint(dbPath: string): void {
  try {
    const db = new Database(dbPath, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 0');
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  } catch {
    // A forced restore over a running or damaged database: move it aside as it is.
  }
}

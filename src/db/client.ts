import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { projectPath } from '../paths.js';
import * as schema from './schema/index.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenDatabaseOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

/** The database was written by a newer release (a migration this release does not have). */
export class DatabaseTooNewError extends Error {}

/**
 * Refuses a database that has migrations this release does not know: running older code on it
 * would silently misread or damage data (no downgrades). Drizzle records each applied migration's
 * journal timestamp in __drizzle_migrations.created_at.
 */
export function assertNotNewer(sqlite: Database.Database, migrationsFolder: string): void {
  const table = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  if (!table) return;
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: { when: number }[] };
  const known = new Set(journal.entries.map((entry) => entry.when));
  const applied = sqlite.prepare('SELECT created_at FROM __drizzle_migrations').all() as { created_at: number | string }[];
  const unknown = applied.filter((row) => !known.has(Number(row.created_at)));
  if (unknown.length > 0) {
    throw new DatabaseTooNewError(
      `Database too new: it has ${unknown.length} migration(s) this release does not know (written by a newer version). ` +
        'Start the newer release again, or restore a backup made with this one; the database was not changed.',
    );
  }
}

/** Opens (creating the folder and file if needed), sets pragmas, applies migrations. */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  const db = drizzle(sqlite, { schema, casing: 'snake_case' });
  if (options.migrate !== false) {
    const migrationsFolder = projectPath('migrations');
    try {
      assertNotNewer(sqlite, migrationsFolder);
    } catch (error) {
      sqlite.close();
      throw error;
    }
    migrate(db, { migrationsFolder });
  }
  return db;
}

export function closeDatabase(db: Db): void {
  if (db.$client.open) db.$client.close();
}

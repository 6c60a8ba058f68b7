import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKUP_FILE } from '../../src/backup.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { startHarness, type Harness } from '../support/harness.js';

const WAIT = 15_000;
const text = (value: unknown) => JSON.stringify(value);

/** The npm scripts' own command (`node --import ./scripts/check-build.mjs dist/scripts/<name>.js`), with only the variables it needs. */
function runScript(name: 'backup' | 'restore', args: string[], databasePath: string) {
  const result = spawnSync(process.execPath, ['--import', './scripts/check-build.mjs', `dist/scripts/${name}.js`, ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_PATH: databasePath, BACKUP_KEEP: '14' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every row of every table (migrations included), ordered, for an exact comparison. */
function dumpAll(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`select * from "${name}" order by rowid`).all()]));
  } finally {
    db.close();
  }
}

describe('backup and restore of a running bot, end to end', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('backs up while the bot runs, restores into a fresh path, and a bot started from it has every row', async () => {
    const { standIn, community, databasePath, dataDir } = harness;
    const { guildId, channels, users } = community;
    const as = (userId: string) => ({ guildId, channelId: channels.general, userId, locale: 'en-US' });

    // Data in three features: a language choice, a support request and a task.
    await standIn.chatInput({ ...as(users.member), command: 'language', options: { set: 'en' } }).waitForMessage(undefined, WAIT);
    const support = standIn.chatInput({ ...as(users.member), command: 'support' });
    await support.response();
    expect(support.modal).not.toBeNull();
    await standIn
      .submitModal({
        ...as(users.member),
        customId: String(support.modal?.custom_id),
        fields: { topic: ['visa'], description: 'Looking for work visa options.', language: ['en'], urgent: ['no'] },
      })
      .waitForMessage(undefined, WAIT);
    const created = await standIn
      .chatInput({ ...as(users.moderator), command: 'task-admin', subcommand: 'create', options: { title: 'Translate the asylum guide', description: 'Spanish review', skill: 'spanish-translation' } })
      .waitForMessage(undefined, WAIT);
    expect(text(created)).toMatch(/#\d+/);

    // The bot keeps its database open in WAL mode while the backup runs.
    expect(existsSync(`${databasePath}-wal`)).toBe(true);
    const backupDir = join(dataDir, 'backups');
    const backup = runScript('backup', ['--to', backupDir], databasePath);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    const files = readdirSync(backupDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(BACKUP_FILE);
    const backupFile = join(backupDir, String(files[0]));
    expect(backup.stdout).toContain(backupFile);
    const original = dumpAll(databasePath);
    expect(original.support_requests).toHaveLength(1);
    expect(original.tasks).toHaveLength(1);
    expect(original.member_preferences).toHaveLength(1);

    // Restoring over the running bot's database is refused with one line and changes nothing.
    const refused = runScript('restore', [backupFile], databasePath);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/appears to be running.*--force/);
    expect(readdirSync(dataDir).filter((name) => name.includes('before-restore'))).toEqual([]);

    const restoredPath = join(dataDir, 'restored', 'bot.sqlite');
    const restore = runScript('restore', [backupFile], restoredPath);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    const restored = dumpAll(restoredPath);
    // Every table and every row, migrations included.
    expect(Object.keys(restored)).toEqual(Object.keys(original));
    expect(restored).toEqual(original);

    // A bot started from the restored database answers from it, and takes its own daily backups.
    const autoDir = join(dataDir, 'auto-backups');
    const bot = await harness.restart({ databasePath: restoredPath, env: { BACKUP_CRON: '* * * * * *', BACKUP_DIR: autoDir, BACKUP_KEEP: '2' } });
    const mydata = text(await standIn.chatInput({ ...as(users.member), command: 'privacy', subcommand: 'mydata' }).waitForMessage(undefined, WAIT));
    expect(mydata).toMatch(/#0001/);
    expect(mydata).not.toContain('Looking for work visa options');
    const logged = await bot.waitForLog('database backup written', WAIT);
    expect(String(logged.path)).toContain(autoDir);
    const auto = readdirSync(autoDir);
    expect(auto.length).toBeGreaterThan(0);
    expect(auto.every((name) => BACKUP_FILE.test(name))).toBe(true);
    expect(dumpAll(join(autoDir, String(auto[0]))).support_requests).toHaveLength(1);
  });
});

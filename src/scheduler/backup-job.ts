import type Database from 'better-sqlite3';
import { backupDatabase } from '../backup.js';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../logger.js';
import type { JobRunner } from './job-runner.js';

export const BACKUP_JOB = 'database-backup';

/** The bot's own scheduled backups, on its open connection (the backup API copies it consistently). */
export function registerBackupJob(jobs: JobRunner, sqlite: Database.Database, config: Pick<Config, 'BACKUP_CRON' | 'BACKUP_DIR' | 'BACKUP_KEEP'>, logger: Logger, clock: Clock): void {
  if (!config.BACKUP_CRON) return;
  jobs.upsert({
    name: BACKUP_JOB,
    cron: config.BACKUP_CRON,
    async run() {
      const path = await backupDatabase(sqlite, config.BACKUP_DIR, config.BACKUP_KEEP, clock);
      logger.info({ path }, 'database backup written');
    },
  });
}

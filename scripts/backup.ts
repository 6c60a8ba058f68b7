// `npm run backup [-- --to DIR]`: a consistent copy of the database, safe while the bot runs.
import { parseArgs } from 'node:util';
import { backupDatabase } from '../src/backup.js';
import { loadBackupConfig } from '../src/config.js';
import { systemClock } from '../src/domain/clock.js';

try {
  const { values } = parseArgs({ options: { to: { type: 'string' } }, allowPositionals: false });
  const config = loadBackupConfig();
  const path = await backupDatabase(config.DATABASE_PATH, values.to ?? config.BACKUP_DIR, config.BACKUP_KEEP, systemClock);
  console.log(`Backup written: ${path}`);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}

// `npm run restore -- FILE [--force]`: replaces DATABASE_PATH with a backup; the bot must be stopped.
import { parseArgs } from 'node:util';
import { restoreDatabase } from '../src/backup.js';
import { loadBackupConfig } from '../src/config.js';

try {
  const { values, positionals } = parseArgs({ options: { force: { type: 'boolean', default: false } }, allowPositionals: true });
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new Error('Usage: npm run restore -- FILE [--force]');
  const config = loadBackupConfig();
  const result = restoreDatabase(file, config.DATABASE_PATH, { force: values.force });
  console.log(`Restored ${file} into ${result.restored}${result.previous ? `; the previous database is at ${result.previous}` : ''}`);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}

// npm run bench (backup): backup and restore of a database with 10,000 support requests and 10,000
// tasks, built with the real migrations; median of 3 runs each, against a plain file copy of the same
// file as the baseline (what a naive copy costs, without its consistency).
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupDatabase, restoreDatabase } from '../src/backup.js';
import { closeDatabase, openDatabase } from '../src/db/client.js';
import { supportRequests, tasks } from '../src/db/schema/index.js';

const ROWS = 10_000;
const RUNS = 3;
const GUILD = '100000000000000001';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const time = (fn: () => unknown) => {
  const started = performance.now();
  const result = fn();
  return { ms: performance.now() - started, result };
};
const timeAsync = async (fn: () => Promise<unknown>) => {
  const started = performance.now();
  await fn();
  return performance.now() - started;
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'hml-bench-backup-'));
  try {
    const dbPath = join(dir, 'bot.sqlite');
    const db = openDatabase(dbPath);
    const now = Date.now();
    db.transaction((tx) => {
      for (let n = 1; n <= ROWS; n += 1) {
        tx.insert(supportRequests)
          .values({ guildId: GUILD, number: n, requesterId: String(200_000_000_000_000_000n + BigInt(n)), threadId: String(300_000_000_000_000_000n + BigInt(n)), topic: 'visa', language: n % 2 ? 'en' : 'es', status: n % 5 ? 'closed' : 'open', createdAt: now - n * 60_000, updatedAt: now, closedAt: n % 5 ? now : null })
          .run();
        tx.insert(tasks)
          .values({ guildId: GUILD, number: n, title: `Translate guide section ${n}`, description: 'Review the Spanish translation of this section against the English guide.', skill: 'spanish-translation', status: 'open', origin: 'manual', creatorId: '400000000000000001', createdAt: now, updatedAt: now })
          .run();
      }
    });
    // As the bot leaves it: recent writes still in the WAL, the connection open.
    const sizeMb = (statSync(dbPath).size + (statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0)) / 1_048_576;

    const backupTimes: number[] = [];
    const toolTimes: number[] = [];
    const restoreTimes: number[] = [];
    const copyTimes: number[] = [];
    let backupFile = '';
    for (let run = 0; run < RUNS; run += 1) {
      const out = join(dir, `out-${run}`);
      backupTimes.push(await timeAsync(async () => (backupFile = await backupDatabase(db.$client, out, 14, { now: () => now + run * 1000 }))));
      // As `npm run backup` does it: its own read-only connection next to the bot's open one.
      toolTimes.push(await timeAsync(() => backupDatabase(dbPath, join(dir, `tool-${run}`), 14, { now: () => now + run * 1000 })));
      copyTimes.push(time(() => copyFileSync(dbPath, join(dir, `copy-${run}.sqlite`))).ms);
    }
    closeDatabase(db);
    const backupMb = statSync(backupFile).size / 1_048_576;
    for (let run = 0; run < RUNS; run += 1) {
      restoreTimes.push(time(() => restoreDatabase(backupFile, join(dir, `restored-${run}`, 'bot.sqlite'))).ms);
    }
    const copy = median(copyTimes);
    const line = (label: string, ms: number) => `${label.padEnd(34)} ${ms.toFixed(1).padStart(8)} ms  (×${(ms / copy).toFixed(1)} the plain copy)`;
    console.log(`\nBackup / restore: ${ROWS} support requests + ${ROWS} tasks, database ${sizeMb.toFixed(1)} MB (file + WAL), backup ${backupMb.toFixed(1)} MB; median of ${RUNS}`);
    console.log(line('backup (online, bot connection)', median(backupTimes)));
    console.log(line('backup (npm run backup, own conn.)', median(toolTimes)));
    console.log(line('restore (checks + copy)', median(restoreTimes)));
    console.log(`${'baseline: fs.copyFileSync'.padEnd(34)} ${copy.toFixed(1).padStart(8)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

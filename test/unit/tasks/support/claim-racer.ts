// A separate process with its own SQLite connection, claiming the same tasks as another racer.
// Usage: node --import tsx claim-racer.ts <db> <userId> <guildCount> <goFile>
import { existsSync } from 'node:fs';
import { openDatabase, closeDatabase } from '../../../../src/db/client.js';
import { systemClock } from '../../../../src/domain/clock.js';
import { DomainError } from '../../../../src/domain/errors.js';
import { TaskService } from '../../../../src/domain/tasks/task-service.js';
import { raceGuildId } from './race-guilds.js';

const [dbPath, userId, guildCountText, goFile] = process.argv.slice(2);
if (!dbPath || !userId || !guildCountText || !goFile) throw new Error('usage: claim-racer <db> <userId> <guildCount> <goFile>');
const db = openDatabase(dbPath, { migrate: false });
const tasks = new TaskService(db, systemClock);
const pause = new Int32Array(new SharedArrayBuffer(4));

process.stdout.write('ready\n');
while (!existsSync(goFile)) Atomics.wait(pause, 0, 0, 1);

const won: number[] = [];
const lost: number[] = [];
const unexpected: string[] = [];
for (let i = 0; i < Number(guildCountText); i++) {
  try {
    tasks.claim(raceGuildId(i), 1, userId);
    won.push(i);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'task.errors.alreadyClaimed') lost.push(i);
    else unexpected.push(String(error));
  }
}
closeDatabase(db);
process.stdout.write(`${JSON.stringify({ won, lost, unexpected })}\n`);

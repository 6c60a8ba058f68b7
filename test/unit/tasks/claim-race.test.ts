import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../../src/db/client.js';
import { TaskService } from '../../../src/domain/tasks/task-service.js';
import { projectPath } from '../../../src/paths.js';
import { FakeClock } from '../../support/test-db.js';
import { raceGuildId } from './support/race-guilds.js';

const TASKS = 150;
const RACERS = ['400000000000000001', '400000000000000002'];

interface RacerResult {
  won: number[];
  lost: number[];
  unexpected: string[];
}

/** Starts a racer process; resolves `ready` once it has opened its connection, `done` with its result. */
function startRacer(dbPath: string, userId: string, goFile: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', projectPath('test/unit/tasks/support/claim-racer.ts'), dbPath, userId, String(TASKS), goFile],
    { cwd: projectPath(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  let markReady: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<RacerResult>((resolve, reject) => {
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`racer exited with ${code}: ${stderr}`));
      const line = stdout.split('\n').filter(Boolean).at(-1) ?? '';
      resolve(JSON.parse(line) as RacerResult);
    });
  });
  return { ready, done };
}

describe('claims from two separate database connections', () => {
  let dir: string;
  let dbPath: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'task-race-'));
    dbPath = join(dir, 'race.sqlite');
    const db = openDatabase(dbPath);
    const tasks = new TaskService(db, new FakeClock());
    for (let i = 0; i < TASKS; i++) {
      tasks.create(raceGuildId(i), { title: `race ${i}`, description: 'contested', skill: 'other' }, null);
    }
    closeDatabase(db);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('give every task exactly one winner, and the database agrees', async () => {
    const goFile = join(dir, 'go');
    const racers = RACERS.map((userId) => startRacer(dbPath, userId, goFile));
    await Promise.all(racers.map((racer) => racer.ready));
    writeFileSync(goFile, 'go');
    const [first, second] = (await Promise.all(racers.map((racer) => racer.done))) as [RacerResult, RacerResult];

    expect(first.unexpected).toEqual([]);
    expect(second.unexpected).toEqual([]);
    // Each task was won by exactly one racer and lost by the other.
    expect([...first.won, ...second.won].sort((a, b) => a - b)).toEqual([...Array(TASKS).keys()]);
    expect(first.won.filter((index) => second.won.includes(index))).toEqual([]);
    expect([...first.lost].sort((a, b) => a - b)).toEqual([...second.won].sort((a, b) => a - b));

    const db = openDatabase(dbPath, { migrate: false });
    const tasks = new TaskService(db, new FakeClock());
    try {
      for (let i = 0; i < TASKS; i++) {
        const expected = first.won.includes(i) ? RACERS[0] : RACERS[1];
        expect(tasks.get(raceGuildId(i), 1)).toMatchObject({ status: 'claimed', claimantId: expected });
      }
    } finally {
      closeDatabase(db);
    }
  });
});

import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { scheduledRuns, schedules } from '../../db/schema/index.js';
import type { DbOrTx } from '../posts/sequence.js';
import { nextRunAfter } from './cron.js';
import type { Schedule } from './schedule-service.js';

export type RunKind = (typeof scheduledRuns.$inferSelect)['kind'];
export type ScheduledRun = typeof scheduledRuns.$inferSelect;

/**
 * The run key. Inserting `(schedule, fire time)` is the claim: a second insert for the same key
 * (a duplicate tick, a catch-up racing the live tick, a restart) finds the row and does nothing.
 * It must run inside the same synchronous transaction that picks and enqueues the posts, so a
 * run either exists with all its posts or not at all.
 */
export function claimRun(tx: DbOrTx, schedule: Schedule, fireTime: number, kind: RunKind, now: number): ScheduledRun | null {
  const run = tx
    .insert(scheduledRuns)
    .values({ guildId: schedule.guildId, scheduleId: schedule.id, fireTime, kind, createdAt: now })
    .onConflictDoNothing({ target: [scheduledRuns.scheduleId, scheduledRuns.fireTime] })
    .returning()
    .get();
  if (!run) return null;
  if (kind === 'manual') {
    tx.update(schedules).set({ lastRunAt: now }).where(eq(schedules.id, schedule.id)).run();
    return run;
  }
  // A run (live or caught up) moves the next fire time past both the fire time and now, so a run
  // missed while down is caught up once, not once per missed tick. Never moves it backwards.
  const next = nextRunAfter(schedule.cron, schedule.timezone, Math.max(fireTime, now));
  tx.update(schedules)
    .set({
      lastRunAt: now,
      lastFireTime: sql`max(coalesce(${schedules.lastFireTime}, 0), ${fireTime})`,
      nextRunAt: next === null ? null : sql`max(coalesce(${schedules.nextRunAt}, 0), ${next})`,
    })
    .where(eq(schedules.id, schedule.id))
    .run();
  return run;
}

export function runExists(db: DbOrTx, scheduleId: number, fireTime: number): boolean {
  return (
    db
      .select({ id: scheduledRuns.id })
      .from(scheduledRuns)
      .where(and(eq(scheduledRuns.scheduleId, scheduleId), eq(scheduledRuns.fireTime, fireTime)))
      .get() !== undefined
  );
}

export function setRunPostCount(tx: DbOrTx, runId: number, posts: number): void {
  tx.update(scheduledRuns).set({ posts }).where(eq(scheduledRuns.id, runId)).run();
}

export function runsOf(db: Db, scheduleId: number): ScheduledRun[] {
  return db.select().from(scheduledRuns).where(eq(scheduledRuns.scheduleId, scheduleId)).orderBy(scheduledRuns.fireTime).all();
}

import { and, asc, count as count_, eq, inArray, isNotNull, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { outboxPosts, POST_JOBS, schedules, type PostJob } from '../../db/schema/index.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import { nextNumber } from '../posts/sequence.js';
import { minimumIntervalSeconds, nextRunAfter, nextRuns, normalizeCron, normalizeTimeZone } from './cron.js';

export type Schedule = typeof schedules.$inferSelect;
export type ScheduleChange = { type: 'upsert' | 'remove'; scheduleId: number };
export type ScheduleListener = (change: ScheduleChange) => void;

export const MAX_SCHEDULES_PER_GUILD = 25;
export const PREVIEW_COUNT = 5;

export interface NewSchedule {
  guildId: string;
  job: string;
  cron: string;
  timezone?: string | null;
  channelId: string;
  digest?: boolean;
  createdBy: string;
}

export interface Preview {
  cron: string;
  timezone: string;
  runs: number[];
}

/**
 * Admin schedules: validated, stored, numbered per guild (`#3`). Every change is announced to
 * listeners (the live node-cron registry), so it takes effect without a restart.
 */
/** Default for POST_MIN_INTERVAL_SECONDS. */
export const DEFAULT_POST_MIN_INTERVAL_SECONDS = 60;

export class ScheduleService {
  private readonly listeners = new Set<ScheduleListener>();

  /** config.POST_MIN_INTERVAL_SECONDS: no posting schedule may fire more often than this. */
  readonly minIntervalSeconds: number;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    options: { minIntervalSeconds?: number } = {},
  ) {
    this.minIntervalSeconds = options.minIntervalSeconds ?? DEFAULT_POST_MIN_INTERVAL_SECONDS;
  }

  onChange(listener: ScheduleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Validates an expression and zone and returns the next fire times (for `/schedule preview`). */
  preview(cron: string, timezone?: string | null, count = PREVIEW_COUNT): Preview {
    const expression = normalizeCron(cron);
    const zone = normalizeTimeZone(timezone);
    return { cron: expression, timezone: zone, runs: nextRuns(expression, zone, this.clock.now(), count) };
  }

  add(input: NewSchedule): { schedule: Schedule; runs: number[] } {
    if (!(POST_JOBS as readonly string[]).includes(input.job)) throw new DomainError('schedule.errors.unknownJob', { job: input.job });
    const job = input.job as PostJob;
    if (input.digest && job !== 'updates') throw new DomainError('schedule.errors.digestOnlyUpdates');
    const { cron, timezone, runs } = this.preview(input.cron, input.timezone);
    // Members see every post: a schedule that fires every second floods the channel.
    const gap = minimumIntervalSeconds(cron);
    if (gap < this.minIntervalSeconds) {
      throw new DomainError('schedule.errors.tooFrequent', { expression: cron, gap, limit: this.minIntervalSeconds });
    }
    if (runs.length === 0) throw new DomainError('schedule.errors.neverRuns', { expression: cron });
    const now = this.clock.now();
    const schedule = this.db.transaction((tx) => {
      const count = tx.select({ n: count_() }).from(schedules).where(eq(schedules.guildId, input.guildId)).get()?.n ?? 0;
      if (count >= MAX_SCHEDULES_PER_GUILD) throw new DomainError('schedule.errors.tooMany', { max: MAX_SCHEDULES_PER_GUILD });
      return tx
        .insert(schedules)
        .values({
          guildId: input.guildId,
          number: nextNumber(tx, input.guildId, 'schedule'),
          job,
          cron,
          timezone,
          channelId: input.channelId,
          digest: input.digest ?? false,
          enabled: true,
          createdBy: input.createdBy,
          createdAt: now,
          updatedAt: now,
          nextRunAt: runs[0] ?? null,
        })
        .returning()
        .get();
    });
    this.emit({ type: 'upsert', scheduleId: schedule.id });
    return { schedule, runs };
  }

  list(guildId: string): Schedule[] {
    return this.db.select().from(schedules).where(eq(schedules.guildId, guildId)).orderBy(asc(schedules.number)).all();
  }

  get(guildId: string, number: number): Schedule {
    const row = this.db
      .select()
      .from(schedules)
      .where(and(eq(schedules.guildId, guildId), eq(schedules.number, number)))
      .get();
    if (!row) throw new DomainError('schedule.errors.notFound', { id: number });
    return row;
  }

  byId(id: number): Schedule | undefined {
    return this.db.select().from(schedules).where(eq(schedules.id, id)).get();
  }

  /** The enabled schedule of a job that runs soonest in a guild (to tell moderators when an item goes out). */
  nextOfJob(guildId: string, job: PostJob): Schedule | undefined {
    return this.db
      .select()
      .from(schedules)
      .where(and(eq(schedules.guildId, guildId), eq(schedules.job, job), eq(schedules.enabled, true), isNotNull(schedules.nextRunAt)))
      .orderBy(asc(schedules.nextRunAt))
      .limit(1)
      .get();
  }

  /** Every enabled schedule across guilds, for loading into the scheduler at start. */
  enabled(): Schedule[] {
    return this.db.select().from(schedules).where(eq(schedules.enabled, true)).orderBy(asc(schedules.id)).all();
  }

  /** Enabled schedules whose next fire time has passed without a run: missed while down. */
  due(now: number): Schedule[] {
    return this.db
      .select()
      .from(schedules)
      .where(and(eq(schedules.enabled, true), isNotNull(schedules.nextRunAt), lte(schedules.nextRunAt, now)))
      .orderBy(asc(schedules.nextRunAt))
      .all();
  }

  pause(guildId: string, number: number): Schedule {
    const current = this.get(guildId, number);
    if (!current.enabled) throw new DomainError('schedule.errors.alreadyPaused', { id: number });
    const updated = this.db
      .update(schedules)
      .set({ enabled: false, updatedAt: this.clock.now() })
      .where(and(eq(schedules.id, current.id), eq(schedules.enabled, true)))
      .returning()
      .get();
    if (!updated) throw new DomainError('schedule.errors.alreadyPaused', { id: number });
    this.emit({ type: 'upsert', scheduleId: updated.id });
    return updated;
  }

  /** Resuming starts from now: ticks that fell while paused are not caught up. */
  resume(guildId: string, number: number): { schedule: Schedule; runs: number[] } {
    const current = this.get(guildId, number);
    if (current.enabled) throw new DomainError('schedule.errors.notPaused', { id: number });
    const now = this.clock.now();
    const runs = nextRuns(current.cron, current.timezone, now, PREVIEW_COUNT);
    const updated = this.db
      .update(schedules)
      .set({ enabled: true, nextRunAt: runs[0] ?? null, updatedAt: now })
      .where(and(eq(schedules.id, current.id), eq(schedules.enabled, false)))
      .returning()
      .get();
    if (!updated) throw new DomainError('schedule.errors.notPaused', { id: number });
    this.emit({ type: 'upsert', scheduleId: updated.id });
    return { schedule: updated, runs };
  }

  /** Deletes the schedule and cancels its posts not yet sent. */
  remove(guildId: string, number: number): Schedule {
    const current = this.get(guildId, number);
    this.db.transaction((tx) => {
      tx.delete(schedules).where(eq(schedules.id, current.id)).run();
      tx.update(outboxPosts)
        .set({ status: 'cancelled' })
        .where(and(eq(outboxPosts.scheduleId, current.id), inArray(outboxPosts.status, ['pending'])))
        .run();
    });
    this.emit({ type: 'remove', scheduleId: current.id });
    return current;
  }

  /** The next fire times of a stored schedule from now. */
  upcoming(schedule: Schedule, count = PREVIEW_COUNT): number[] {
    return nextRuns(schedule.cron, schedule.timezone, this.clock.now(), count);
  }

  nextAfter(schedule: Schedule, afterMs: number): number | null {
    return nextRunAfter(schedule.cron, schedule.timezone, afterMs);
  }

  private emit(change: ScheduleChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

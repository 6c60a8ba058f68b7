import cron, { type ScheduledTask } from 'node-cron';
import type { PostRunService } from '../domain/posts/post-runs.js';
import type { Schedule, ScheduleChange, ScheduleService } from '../domain/schedules/schedule-service.js';
import type { Logger } from '../logger.js';

export interface RegistryOptions {
  /** How often to look for runs node-cron missed (event loop blocked, clock jump). */
  sweepMs: number;
  /** A run is "missed" only once its fire time is this far in the past (the live tick gets first go). */
  graceMs: number;
  /** node-cron still runs a tick this late (default 1 s is too strict for a busy 2-core box). */
  missedToleranceMs: number;
}

export const REGISTRY_DEFAULTS: RegistryOptions = { sweepMs: 30_000, graceMs: 10_000, missedToleranceMs: 20_000 };

/**
 * The live node-cron registry: one task per enabled schedule, keyed by schedule id and named
 * `schedule:<id>`. A change destroys the task and recreates it under the same name, so edits take
 * effect without a restart. Every tick goes through PostRunService, whose run key makes a duplicate
 * tick, a catch-up racing a live tick, or a second process harmless.
 */
export class ScheduleRegistry {
  private readonly tasks = new Map<number, ScheduledTask>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private started = false;
  private readonly options: RegistryOptions;

  constructor(
    private readonly schedules: ScheduleService,
    private readonly runs: PostRunService,
    private readonly logger: Logger,
    options: Partial<RegistryOptions> = {},
  ) {
    this.options = { ...REGISTRY_DEFAULTS, ...options };
  }

  /**
   * Loads every enabled schedule and starts the sweep at once; runs missed while the bot was down
   * are caught up (once each) in the background, so start-up never waits on feeds or Discord.
   * The returned promise settles when that catch-up is done.
   */
  start(): Promise<unknown> {
    if (this.started) return Promise.resolve();
    this.started = true;
    this.unsubscribe = this.schedules.onChange((change) => this.apply(change));
    const enabled = this.schedules.enabled();
    for (const schedule of enabled) this.install(schedule);
    this.logger.info({ schedules: enabled.length }, 'scheduler loaded');
    this.sweepTimer = setInterval(() => void this.catchUp(this.options.graceMs), this.options.sweepMs);
    return this.catchUp(0);
  }

  /** Stops every task and waits (bounded) for runs under way. */
  async stop(timeoutMs: number): Promise<boolean> {
    this.started = false;
    this.unsubscribe?.();
    clearInterval(this.sweepTimer);
    for (const id of [...this.tasks.keys()]) this.uninstall(id);
    if (this.inFlight.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const done = await Promise.race([Promise.allSettled([...this.inFlight]).then(() => true as const), timeout]);
    clearTimeout(timer);
    return done;
  }

  /** Ids of schedules with a live task (for tests and diagnostics). */
  liveScheduleIds(): number[] {
    return [...this.tasks.keys()].sort((a, b) => a - b);
  }

  private apply(change: ScheduleChange): void {
    if (!this.started) return;
    this.uninstall(change.scheduleId);
    if (change.type === 'remove') return;
    const schedule = this.schedules.byId(change.scheduleId);
    if (schedule?.enabled) this.install(schedule);
    this.logger.info({ scheduleId: change.scheduleId, live: schedule?.enabled ?? false }, 'schedule reloaded');
  }

  private install(schedule: Schedule): void {
    try {
      const task = cron.schedule(schedule.cron, (context) => this.fire(schedule.id, context.date.getTime()), {
        name: `schedule:${schedule.id}`,
        timezone: schedule.timezone,
        noOverlap: true,
        missedExecutionTolerance: this.options.missedToleranceMs,
        suppressMissedWarning: true,
      });
      this.tasks.set(schedule.id, task);
    } catch (error) {
      // A stored expression this node-cron refuses (e.g. after an upgrade): log, keep the others.
      this.logger.error({ err: error, scheduleId: schedule.id }, 'could not schedule');
    }
  }

  private uninstall(scheduleId: number): void {
    const task = this.tasks.get(scheduleId);
    if (!task) return;
    this.tasks.delete(scheduleId);
    void task.destroy();
  }

  private catchUp(graceMs: number): Promise<unknown> {
    return this.track(
      this.runs.catchUp(graceMs).catch((error: unknown) => {
        this.logger.error({ err: error }, 'catch-up failed');
      }),
    );
  }

  private fire(scheduleId: number, fireTime: number): Promise<unknown> {
    return this.track(
      this.runs.run(scheduleId, fireTime, 'scheduled').catch((error: unknown) => {
        this.logger.error({ err: error, scheduleId, fireTime }, 'scheduled run failed');
      }),
    );
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }
}

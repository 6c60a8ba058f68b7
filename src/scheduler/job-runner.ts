import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';

export interface InternalJob {
  /** Unique name, used in logs and as the node-cron task name. */
  name: string;
  /** node-cron expression (five fields, or six with seconds first). */
  cron: string;
  timezone?: string;
  /** Also run once as soon as the scheduler starts (catch-up after downtime). */
  runOnStart?: boolean;
  run(): Promise<void>;
}

/**
 * Runs the bot's own periodic jobs (reminders, retention, translation tasks) on node-cron, never
 * overlapping with themselves. Jobs can be added, replaced and removed while running, and stop()
 * waits for the runs under way so shutdown does not cut a post in half.
 */
export class JobRunner {
  private readonly jobs = new Map<string, InternalJob>();
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly running = new Set<Promise<void>>();
  private started = false;

  constructor(private readonly logger: Logger) {}

  /** Adds or replaces a job (a replaced job keeps its name, so at most one task per name). */
  upsert(job: InternalJob): void {
    this.remove(job.name);
    this.jobs.set(job.name, job);
    if (this.started) this.schedule(job, false);
  }

  remove(name: string): void {
    const task = this.tasks.get(name);
    if (task) void task.destroy();
    this.tasks.delete(name);
    this.jobs.delete(name);
  }

  has(name: string): boolean {
    return this.jobs.has(name);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const job of this.jobs.values()) this.schedule(job, job.runOnStart ?? false);
  }

  /** Runs a job now, outside its schedule (e.g. `/schedule run`), still without overlapping itself. */
  runNow(name: string): Promise<void> {
    const job = this.jobs.get(name);
    if (!job) return Promise.reject(new Error(`no job named ${name}`));
    return this.track(job);
  }

  async stop(timeoutMs: number): Promise<boolean> {
    this.started = false;
    for (const task of this.tasks.values()) await task.stop();
    this.tasks.clear();
    if (this.running.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const done = await Promise.race([Promise.allSettled([...this.running]).then(() => true as const), timeout]);
    clearTimeout(timer);
    return done;
  }

  private schedule(job: InternalJob, runNow: boolean): void {
    const task = cron.schedule(job.cron, () => this.track(job), {
      name: job.name,
      noOverlap: true,
      ...(job.timezone ? { timezone: job.timezone } : {}),
    });
    this.tasks.set(job.name, task);
    if (runNow) void this.track(job);
  }

  private readonly busy = new Map<string, Promise<void>>();

  private track(job: InternalJob): Promise<void> {
    const current = this.busy.get(job.name);
    if (current) return current;
    const run = job
      .run()
      .catch((error: unknown) => this.logger.error({ err: error, job: job.name }, 'job failed'))
      .finally(() => {
        this.running.delete(run);
        this.busy.delete(job.name);
      });
    this.running.add(run);
    this.busy.set(job.name, run);
    return run;
  }
}

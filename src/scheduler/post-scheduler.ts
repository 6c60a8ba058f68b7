import type { Client } from 'discord.js';
import { DiscordPostPublisher } from '../discord/posts/publisher.js';
import type { PostPublisher } from '../domain/posts/outbox.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services.js';
import { DeliveryWorker, type DeliveryOptions } from './delivery-worker.js';
import type { JobRunner } from './job-runner.js';
import { ScheduleRegistry, type RegistryOptions } from './schedule-registry.js';

/** Feeds are polled in the background so review items reach the mod log between scheduled runs. */
export const FEED_POLL_CRON = '*/5 * * * *';
export const FEED_POLL_INTERVAL_MS = 15 * 60_000;
/** Delivered posts and past run keys are kept this long (for diagnosis), then deleted daily. */
export const PRUNE_AFTER_MS = 30 * 24 * 60 * 60_000;
export const PRUNE_CRON = '17 4 * * *';

export interface PostScheduler {
  registry: ScheduleRegistry;
  worker: DeliveryWorker;
  /**
   * After the client is ready: schedules loaded at once; outbox recovery, delivery and the catch-up
   * of missed runs continue in the background (ready is not held up by feeds or Discord).
   */
  start(): void;
  /** Stops scheduling, then waits (bounded) for runs and the post being sent. */
  stop(timeoutMs: number): Promise<boolean>;
}

export interface PostSchedulerOptions {
  publisher?: PostPublisher;
  registry?: Partial<RegistryOptions>;
  delivery?: Partial<DeliveryOptions>;
}

/** Wires scheduled posts to Discord: the live cron registry, the outbox delivery worker, the feed poll. */
export function createPostScheduler(
  deps: { client: Client; services: Services; jobs: JobRunner; logger: Logger },
  options: PostSchedulerOptions = {},
): PostScheduler {
  const { services, logger } = deps;
  const posts = services.posts;
  const publisher = options.publisher ?? new DiscordPostPublisher(deps.client);
  const worker = new DeliveryWorker(
    posts.outbox,
    publisher,
    services.clock,
    logger,
    (post, reason) => posts.postRuns.reportDeliveryFailure(post, reason),
    options.delivery,
  );
  const registry = new ScheduleRegistry(posts.schedules, posts.postRuns, logger, options.registry);
  deps.jobs.upsert({
    name: 'feeds:poll',
    cron: FEED_POLL_CRON,
    run: async () => {
      await posts.feeds.refreshDue({ olderThanMs: FEED_POLL_INTERVAL_MS });
    },
  });
  deps.jobs.upsert({
    name: 'posts:prune',
    cron: PRUNE_CRON,
    run: async () => {
      const pruned = posts.outbox.prune(PRUNE_AFTER_MS);
      if (pruned.posts || pruned.runs) logger.info(pruned, 'old posts and run keys pruned');
    },
  });
  return {
    registry,
    worker,
    start() {
      void registry.start();
      worker.start().catch((error: unknown) => logger.error({ err: error }, 'post delivery failed to start'));
    },
    async stop(timeoutMs) {
      const started = Date.now();
      const runsDone = await registry.stop(timeoutMs);
      const postsDone = await worker.stop(Math.max(0, timeoutMs - (Date.now() - started)));
      return runsDone && postsDone;
    },
  };
}

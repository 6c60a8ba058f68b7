import type { Db } from '../../db/client.js';
import type { Logger } from '../../logger.js';
import { AdvocacyService } from '../advocacy/advocacy-service.js';
import type { Clock } from '../clock.js';
import { FeedFetcher } from '../feeds/fetcher.js';
import { FeedService } from '../feeds/feed-service.js';
import type { GuildSettingsService } from '../guild-settings.js';
import { ScheduleService } from '../schedules/schedule-service.js';
import { UpdateService } from '../updates/update-service.js';
import { OutboxStore } from './outbox.js';
import { PostRunService } from './post-runs.js';
import { PostsPrivacy } from './posts-privacy.js';
import { TableDigestSource, type TeamDigestSource } from './team-digest.js';

export interface ScheduledPostsServices {
  schedules: ScheduleService;
  outbox: OutboxStore;
  advocacy: AdvocacyService;
  updates: UpdateService;
  feeds: FeedService;
  postRuns: PostRunService;
  postsPrivacy: PostsPrivacy;
}

export interface ScheduledPostsOptions {
  /** config.FEEDS_ALLOW_PRIVATE_HOSTS: tests serve feeds from 127.0.0.1. */
  feedsAllowPrivateHosts?: boolean;
  /** Where support and task digests get their counts (default: read from those features' tables). */
  digests?: TeamDigestSource;
  fetcher?: FeedFetcher;
  /** config.POST_MIN_INTERVAL_SECONDS (default 60). */
  postMinIntervalSeconds?: number;
}

/** Builds the scheduled-posts services (SPEC §7) on one database and clock. */
export function createScheduledPostsServices(
  db: Db,
  clock: Clock,
  logger: Logger,
  settings: GuildSettingsService,
  options: ScheduledPostsOptions = {},
): ScheduledPostsServices {
  const schedules = new ScheduleService(db, clock, { minIntervalSeconds: options.postMinIntervalSeconds });
  const outbox = new OutboxStore(db, clock);
  const advocacy = new AdvocacyService(db, clock, settings);
  const updates = new UpdateService(db, clock, settings, outbox);
  const fetcher = options.fetcher ?? new FeedFetcher({ allowPrivateHosts: options.feedsAllowPrivateHosts ?? false });
  const feeds = new FeedService(db, clock, logger, fetcher, settings, outbox);
  const postRuns = new PostRunService(db, clock, logger, {
    schedules,
    outbox,
    advocacy,
    updates,
    feeds,
    settings,
    digests: options.digests ?? new TableDigestSource(db),
  });
  return { schedules, outbox, advocacy, updates, feeds, postRuns, postsPrivacy: new PostsPrivacy(db) };
}

export { AdvocacyService, FeedService, OutboxStore, PostRunService, PostsPrivacy, ScheduleService, UpdateService };

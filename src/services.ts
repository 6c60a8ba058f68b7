import type { Db } from './db/client.js';
import { BotStateStore } from './domain/bot-state.js';
import type { Clock } from './domain/clock.js';
import { GuideLibrary } from './domain/guides/index.js';
import { GuildSettingsService } from './domain/guild-settings.js';
import { MemberPreferencesService } from './domain/member-preferences.js';
import { createScheduledPostsServices, type ScheduledPostsServices } from './domain/posts/index.js';
import { PrivacyService } from './domain/privacy.js';
import { ConversationService, SupportHoursService, SupportPrivacy, SupportService } from './domain/support/index.js';
import { TaskService } from './domain/tasks/index.js';
import type { Logger } from './logger.js';
import { projectPath } from './paths.js';

/** Every domain service, built once in the composition root and handed to handlers and jobs. */
export interface Services {
  db: Db;
  clock: Clock;
  logger: Logger;
  botState: BotStateStore;
  settings: GuildSettingsService;
  preferences: MemberPreferencesService;
  privacy: PrivacyService;
  /** Private support requests: metadata, triage state machine, reminders, retention. */
  support: SupportService;
  supportHours: SupportHoursService;
  /** Support threads (the members' conversations) queued for deletion and retried until gone. */
  conversations: ConversationService;
  supportPrivacy: SupportPrivacy;
  /** Every guide, validated at start (a broken guide stops the start, naming file and field). */
  guides: GuideLibrary;
  /** Volunteer task board: tasks, claims, limits, leaderboard opt-outs. */
  tasks: TaskService;
  /** Scheduled posts (SPEC §7): schedules, advocacy, updates, feeds, outbox, runs. */
  posts: ScheduledPostsServices;
}

export interface ServiceOptions {
  /** config.FEEDS_ALLOW_PRIVATE_HOSTS (tests serve feeds from 127.0.0.1). */
  feedsAllowPrivateHosts?: boolean;
  /** config.GUIDE_REVIEW_MAX_AGE_DAYS: guides reviewed longer ago than this are overdue for review. */
  guideReviewMaxAgeDays?: number;
  /** config.POST_MIN_INTERVAL_SECONDS. */
  postMinIntervalSeconds?: number;
}

export function createServices(db: Db, clock: Clock, logger: Logger, options: ServiceOptions = {}): Services {
  const preferences = new MemberPreferencesService(db, clock);
  const privacy = new PrivacyService();
  // Every service that keeps a member id registers here, so /privacy sees and erases all of it.
  privacy.register(preferences);
  const settings = new GuildSettingsService(db, clock);
  const supportPrivacy = new SupportPrivacy(db, clock);
  privacy.register(supportPrivacy);
  const tasks = new TaskService(db, clock);
  privacy.register(tasks);
  const posts = createScheduledPostsServices(db, clock, logger, settings, {
    feedsAllowPrivateHosts: options.feedsAllowPrivateHosts,
    postMinIntervalSeconds: options.postMinIntervalSeconds,
  });
  privacy.register(posts.postsPrivacy);
  return {
    db,
    clock,
    logger,
    botState: new BotStateStore(db, clock),
    settings,
    support: new SupportService(db, clock, settings),
    supportHours: new SupportHoursService(db, clock),
    conversations: new ConversationService(db, clock),
    supportPrivacy,
    preferences,
    privacy,
    guides: GuideLibrary.load(projectPath('locales'), {
      maxAgeDays: options.guideReviewMaxAgeDays ?? 180,
      now: () => clock.now(),
    }),
    tasks,
    posts,
  };
}

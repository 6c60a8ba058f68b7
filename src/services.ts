import type { Db } from './db/client.js';
import { BotStateStore } from './domain/bot-state.js';
import type { Clock } from './domain/clock.js';
import { GuideLibrary } from './domain/guides/index.js';
import { GuildSettingsService } from './domain/guild-settings.js';
import { MemberPreferencesService } from './domain/member-preferences.js';
import { PrivacyService } from './domain/privacy.js';
import { SupportHoursService, SupportPrivacy, SupportService } from './domain/support/index.js';
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
  /** Every guide, validated at start (a broken guide stops the start, naming file and field). */
  guides: GuideLibrary;
  /** Volunteer task board: tasks, claims, limits, leaderboard opt-outs. */
  tasks: TaskService;
}

export function createServices(db: Db, clock: Clock, logger: Logger): Services {
  const preferences = new MemberPreferencesService(db, clock);
  const privacy = new PrivacyService();
  // Every service that keeps a member id registers here, so /privacy sees and erases all of it.
  privacy.register(preferences);
  const settings = new GuildSettingsService(db, clock);
  privacy.register(new SupportPrivacy(db, clock));
  const tasks = new TaskService(db, clock);
  privacy.register(tasks);
  return {
    db,
    clock,
    logger,
    botState: new BotStateStore(db, clock),
    settings,
    support: new SupportService(db, clock, settings),
    supportHours: new SupportHoursService(db, clock),
    preferences,
    privacy,
    guides: GuideLibrary.load(projectPath('locales')),
    tasks,
  };
}

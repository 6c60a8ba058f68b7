import type { Db } from './db/client.js';
import { BotStateStore } from './domain/bot-state.js';
import type { Clock } from './domain/clock.js';
import { GuildSettingsService } from './domain/guild-settings.js';
import { MemberPreferencesService } from './domain/member-preferences.js';
import type { Logger } from './logger.js';

/** Every domain service, built once in the composition root and handed to handlers and jobs. */
export interface Services {
  db: Db;
  clock: Clock;
  logger: Logger;
  botState: BotStateStore;
  settings: GuildSettingsService;
  preferences: MemberPreferencesService;
}

export function createServices(db: Db, clock: Clock, logger: Logger): Services {
  return {
    db,
    clock,
    logger,
    botState: new BotStateStore(db, clock),
    settings: new GuildSettingsService(db, clock),
    preferences: new MemberPreferencesService(db, clock),
  };
}

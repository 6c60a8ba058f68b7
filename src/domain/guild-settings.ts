import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { guildSettings } from '../db/schema/index.js';
import type { Language } from '../i18n/index.js';
import type { Clock } from './clock.js';
import { DomainError } from './errors.js';

export const DEFAULT_VOLUNTEER_FORM_URL =
  'https://forms.clickup.com/90151711045/f/2kyqbwa5-2035/V90S8EIQNBHMTKXE4X';

export type GuildSettings = typeof guildSettings.$inferSelect & { volunteerFormUrl: string };

export type ChannelSettings = Partial<
  Pick<
    GuildSettings,
    | 'supportChannelId'
    | 'triageChannelId'
    | 'updatesChannelId'
    | 'advocacyChannelId'
    | 'tasksChannelId'
    | 'modlogChannelId'
  >
>;

export type RoleSettings = Partial<
  Pick<GuildSettings, 'moderatorRoleId' | 'supportRoleId' | 'spanishSupportRoleId' | 'volunteerRoleId'>
>;

export const RETENTION_DAYS = { min: 1, max: 3650 } as const;
export const REMINDER_HOURS = { min: 1, max: 720 } as const;

/** https only, no credentials, at most 512 characters: the form opens in members' browsers. */
export const httpsUrl = z
  .string()
  .trim()
  .max(512)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' && !url.username && !url.password && url.hostname.includes('.');
    } catch {
      return false;
    }
  });

function prepareSettingsQuery(db: Db) {
  return db.select().from(guildSettings).where(eq(guildSettings.guildId, sql.placeholder('guildId'))).prepare();
}

export class GuildSettingsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.settingsQuery = prepareSettingsQuery(db);
  }

  // Read on every interaction (permission checks): prepared once, not rebuilt per call.
  private readonly settingsQuery: ReturnType<typeof prepareSettingsQuery>;

  /** Settings with defaults filled in; a guild that never ran /setup gets the defaults. */
  get(guildId: string): GuildSettings {
    const row = this.settingsQuery.get({ guildId });
    const now = this.clock.now();
    const base = row ?? {
      guildId,
      supportChannelId: null,
      triageChannelId: null,
      updatesChannelId: null,
      advocacyChannelId: null,
      tasksChannelId: null,
      modlogChannelId: null,
      moderatorRoleId: null,
      supportRoleId: null,
      spanishSupportRoleId: null,
      volunteerRoleId: null,
      volunteerFormUrl: null,
      retentionDays: 90,
      reminderHours: 24,
      defaultLanguage: null,
      createdAt: now,
      updatedAt: now,
    };
    return { ...base, volunteerFormUrl: base.volunteerFormUrl ?? DEFAULT_VOLUNTEER_FORM_URL };
  }

  /** Every guild that has stored settings (for jobs that run across guilds). */
  guildIds(): string[] {
    return this.db.select({ guildId: guildSettings.guildId }).from(guildSettings).all().map((row) => row.guildId);
  }

  setChannels(guildId: string, channels: ChannelSettings): GuildSettings {
    return this.update(guildId, channels);
  }

  setRoles(guildId: string, roles: RoleSettings): GuildSettings {
    return this.update(guildId, roles);
  }

  setVolunteerForm(guildId: string, url: string): GuildSettings {
    const parsed = httpsUrl.safeParse(url);
    if (!parsed.success) throw new DomainError('errors.invalidHttpsUrl', { value: url.slice(0, 100) });
    return this.update(guildId, { volunteerFormUrl: parsed.data });
  }

  setRetentionDays(guildId: string, days: number): GuildSettings {
    if (!Number.isInteger(days) || days < RETENTION_DAYS.min || days > RETENTION_DAYS.max) {
      throw new DomainError('errors.outOfRange', { value: days, min: RETENTION_DAYS.min, max: RETENTION_DAYS.max });
    }
    return this.update(guildId, { retentionDays: days });
  }

  setReminderHours(guildId: string, hours: number): GuildSettings {
    if (!Number.isInteger(hours) || hours < REMINDER_HOURS.min || hours > REMINDER_HOURS.max) {
      throw new DomainError('errors.outOfRange', { value: hours, min: REMINDER_HOURS.min, max: REMINDER_HOURS.max });
    }
    return this.update(guildId, { reminderHours: hours });
  }

  setDefaultLanguage(guildId: string, language: Language | null): GuildSettings {
    return this.update(guildId, { defaultLanguage: language });
  }

  private update(guildId: string, patch: Partial<typeof guildSettings.$inferInsert>): GuildSettings {
    const now = this.clock.now();
    // Only defined keys change: an omitted /setup option keeps its stored value.
    const changes = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    this.db
      .insert(guildSettings)
      .values({ guildId, ...changes, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: guildSettings.guildId, set: { ...changes, updatedAt: now } })
      .run();
    return this.get(guildId);
  }
}

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

export const SECURE_CONTACT_MAX_LENGTH = 200;

/**
 * The secure contact is shown to people who may be in danger, so it must say exactly what it
 * looks like: one line of plain text or https links, no mentions, no masked links, no characters
 * that hide or reorder text. Returns the trimmed text or throws a DomainError naming the problem.
 */
export function validateSecureContact(raw: string): string {
  const text = raw.trim();
  if (text.length === 0) throw new DomainError('setup.secureContact.errors.empty');
  if (text.length > SECURE_CONTACT_MAX_LENGTH) throw new DomainError('setup.secureContact.errors.tooLong', { max: SECURE_CONTACT_MAX_LENGTH });
  // Control characters (new lines too), zero-width and bidirectional controls.
  if (/[\p{Cc}\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u.test(text)) throw new DomainError('setup.secureContact.errors.characters');
  if (/@(?:everyone|here)|<@[!&]?\d+>|<#\d+>/i.test(text)) throw new DomainError('setup.secureContact.errors.mention');
  if (/\]\s*\(/.test(text)) throw new DomainError('setup.secureContact.errors.maskedLink');
  // Every link in it is a plain https URL (no other scheme, no credentials).
  for (const match of text.matchAll(/[a-z][\w+.-]*:\/\/\S*/gi)) {
    if (!httpsUrl.safeParse(match[0]).success) throw new DomainError('setup.secureContact.errors.notHttps', { value: match[0].slice(0, 100) });
  }
  if (/\b(?:javascript|data|vbscript|file):/i.test(text)) throw new DomainError('setup.secureContact.errors.notHttps', { value: text.slice(0, 100) });
  return text;
}

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
      retentionConversations: 'delete' as const,
      secureContact: null,
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

  setRetentionConversations(guildId: string, mode: 'delete' | 'keep'): GuildSettings {
    if (mode !== 'delete' && mode !== 'keep') throw new DomainError('support.errors.invalidChoice', { value: String(mode).slice(0, 40) });
    return this.update(guildId, { retentionConversations: mode });
  }

  /** Validated by `validateSecureContact`; null clears it. */
  setSecureContact(guildId: string, text: string | null): GuildSettings {
    return this.update(guildId, { secureContact: text === null ? null : validateSecureContact(text) });
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

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/client.js';
import { DomainError } from '../../../src/domain/errors.js';
import { DEFAULT_VOLUNTEER_FORM_URL, GuildSettingsService } from '../../../src/domain/guild-settings.js';
import { MemberPreferencesService } from '../../../src/domain/member-preferences.js';
import { PrivacyService } from '../../../src/domain/privacy.js';
import { closeDatabase, createTestDb, FakeClock } from '../../support/test-db.js';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const USER = '200000000000000001';

let db: Db;
let clock: FakeClock;
beforeEach(() => {
  db = createTestDb();
  clock = new FakeClock();
});
afterEach(() => closeDatabase(db));

describe('GuildSettingsService', () => {
  it('returns defaults for a guild that never ran /setup', () => {
    const settings = new GuildSettingsService(db, clock).get(GUILD);
    expect(settings).toMatchObject({ supportChannelId: null, retentionDays: 90, reminderHours: 24, volunteerFormUrl: DEFAULT_VOLUNTEER_FORM_URL });
  });

  it('changes only the options given and keeps guilds apart', () => {
    const service = new GuildSettingsService(db, clock);
    service.setChannels(GUILD, { supportChannelId: '300000000000000001', triageChannelId: '300000000000000002' });
    clock.advance(1000);
    service.setChannels(GUILD, { triageChannelId: '300000000000000003' });
    expect(service.get(GUILD)).toMatchObject({ supportChannelId: '300000000000000001', triageChannelId: '300000000000000003' });
    expect(service.get(OTHER_GUILD).supportChannelId).toBeNull();
    expect(service.guildIds()).toEqual([GUILD]);
  });

  it.each(['http://example.org/form', 'javascript:alert(1)', 'https://user:pw@example.org/', 'not a url', 'https://localhost/'])(
    'refuses the volunteer form URL %s and changes nothing',
    (url) => {
      const service = new GuildSettingsService(db, clock);
      expect(() => service.setVolunteerForm(GUILD, url)).toThrow(DomainError);
      expect(service.get(GUILD).volunteerFormUrl).toBe(DEFAULT_VOLUNTEER_FORM_URL);
    },
  );

  it('validates retention days and reminder hours', () => {
    const service = new GuildSettingsService(db, clock);
    expect(() => service.setRetentionDays(GUILD, 0)).toThrow(DomainError);
    expect(() => service.setReminderHours(GUILD, 721)).toThrow(DomainError);
    expect(service.setRetentionDays(GUILD, 30).retentionDays).toBe(30);
    expect(service.setReminderHours(GUILD, 6).reminderHours).toBe(6);
  });
});

describe('MemberPreferencesService and privacy', () => {
  it('stores a language choice per guild, and "auto" removes it', () => {
    const preferences = new MemberPreferencesService(db, clock);
    preferences.setLanguage(GUILD, USER, 'es');
    expect(preferences.getLanguage(GUILD, USER)).toBe('es');
    expect(preferences.getLanguage(OTHER_GUILD, USER)).toBeNull();
    preferences.setLanguage(GUILD, USER, null);
    expect(preferences.getLanguage(GUILD, USER)).toBeNull();
  });

  it('lists and erases what is stored through the privacy registry', () => {
    const preferences = new MemberPreferencesService(db, clock);
    const privacy = new PrivacyService();
    privacy.register(preferences);
    preferences.setLanguage(GUILD, USER, 'es');
    expect(privacy.describe(GUILD, USER, 'en')).toEqual([{ category: 'Language', lines: ['Reply language: Spanish'] }]);
    expect(privacy.erase(GUILD, USER)).toEqual({ 'member-preferences': 1 });
    expect(privacy.describe(GUILD, USER, 'en')).toEqual([]);
    expect(() => privacy.register(preferences)).toThrow(/twice/);
  });
});

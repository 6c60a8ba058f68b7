import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { memberPreferences } from '../db/schema/index.js';
import { t, type Language } from '../i18n/index.js';
import type { Clock } from './clock.js';
import type { PrivacyParticipant, StoredItem } from './privacy.js';

function prepareLanguageQuery(db: Db) {
  return db
    .select({ language: memberPreferences.language })
    .from(memberPreferences)
    .where(and(eq(memberPreferences.guildId, sql.placeholder('guildId')), eq(memberPreferences.userId, sql.placeholder('userId'))))
    .prepare();
}

export class MemberPreferencesService implements PrivacyParticipant {
  readonly name = 'member-preferences';

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.languageQuery = prepareLanguageQuery(db);
  }

  // Read on every interaction to pick the reply language: prepared once, not rebuilt per call.
  private readonly languageQuery: ReturnType<typeof prepareLanguageQuery>;

  getLanguage(guildId: string, userId: string): Language | null {
    return this.languageQuery.get({ guildId, userId })?.language ?? null;
  }

  /** `null` (the "auto" choice) deletes the row: nothing is stored that isn't needed. */
  setLanguage(guildId: string, userId: string, language: Language | null): void {
    if (language === null) {
      this.db
        .delete(memberPreferences)
        .where(and(eq(memberPreferences.guildId, guildId), eq(memberPreferences.userId, userId)))
        .run();
      return;
    }
    const now = this.clock.now();
    this.db
      .insert(memberPreferences)
      .values({ guildId, userId, language, updatedAt: now })
      .onConflictDoUpdate({
        target: [memberPreferences.guildId, memberPreferences.userId],
        set: { language, updatedAt: now },
      })
      .run();
  }

  describe(guildId: string, userId: string, lang: Language): StoredItem[] {
    const language = this.getLanguage(guildId, userId);
    if (language === null) return [];
    return [
      {
        category: t(lang, 'privacy.categories.language'),
        lines: [t(lang, 'privacy.languageLine', { language: t(lang, `language.names.${language}`) })],
      },
    ];
  }

  erase(guildId: string, userId: string): number {
    return this.db
      .delete(memberPreferences)
      .where(and(eq(memberPreferences.guildId, guildId), eq(memberPreferences.userId, userId)))
      .run().changes;
  }
}

import type { Language } from '../i18n/index.js';

/** One line of a member's data export, already localized. */
export interface StoredItem {
  /** i18n-independent label such as "support requests"; rendered by the privacy service. */
  category: string;
  lines: string[];
}

/**
 * Every feature that stores something keyed by a member's id implements this, so `/privacy
 * mydata` shows all of it and `/privacy delete` erases all of it. Nothing else may keep the id.
 */
export interface PrivacyParticipant {
  /** Stable name, used in tests and logs. */
  name: string;
  describe(guildId: string, userId: string, lang: Language): StoredItem[];
  /** Erases (or anonymises, where a record must stay for others) and returns how many rows changed. */
  erase(guildId: string, userId: string): number;
}

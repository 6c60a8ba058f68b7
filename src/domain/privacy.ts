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

/** Collects every participant; `/privacy` talks only to this. */
export class PrivacyService {
  private readonly participants: PrivacyParticipant[] = [];

  register(participant: PrivacyParticipant): void {
    if (this.participants.some((existing) => existing.name === participant.name)) {
      throw new Error(`privacy participant ${participant.name} registered twice`);
    }
    this.participants.push(participant);
  }

  get names(): string[] {
    return this.participants.map((participant) => participant.name);
  }

  describe(guildId: string, userId: string, lang: Language): StoredItem[] {
    return this.participants.flatMap((participant) => participant.describe(guildId, userId, lang));
  }

  /** Erases everything about the member; returns rows changed per participant. */
  erase(guildId: string, userId: string): Record<string, number> {
    return Object.fromEntries(this.participants.map((participant) => [participant.name, participant.erase(guildId, userId)]));
  }
}

import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { advocacyActions, feedItems, feeds, schedules, sourcedUpdates } from '../../db/schema/index.js';
import { t, type Language } from '../../i18n/index.js';
import type { PrivacyParticipant, StoredItem } from '../privacy.js';

/**
 * Scheduled posts keep a member id only as "who created or reviewed this" on staff records.
 * Erasing nulls those ids; the schedules, actions, updates and feeds stay for the team.
 */
export class PostsPrivacy implements PrivacyParticipant {
  readonly name = 'scheduled-posts';

  constructor(private readonly db: Db) {}

  describe(guildId: string, userId: string, lang: Language): StoredItem[] {
    const numbers = (rows: { number: number }[]) =>
      rows
        .map((row) => `#${row.number}`)
        .sort()
        .join(', ');
    const lines: string[] = [];
    const created = this.db
      .select({ number: schedules.number })
      .from(schedules)
      .where(and(eq(schedules.guildId, guildId), eq(schedules.createdBy, userId)))
      .all();
    if (created.length) lines.push(t(lang, 'posts.privacy.schedules', { ids: numbers(created) }));
    const actions = this.db
      .select({ number: advocacyActions.number })
      .from(advocacyActions)
      .where(and(eq(advocacyActions.guildId, guildId), eq(advocacyActions.createdBy, userId)))
      .all();
    if (actions.length) lines.push(t(lang, 'posts.privacy.actions', { ids: numbers(actions) }));
    const updates = this.db
      .select({ number: sourcedUpdates.number })
      .from(sourcedUpdates)
      .where(and(eq(sourcedUpdates.guildId, guildId), eq(sourcedUpdates.createdBy, userId)))
      .all();
    if (updates.length) lines.push(t(lang, 'posts.privacy.updates', { ids: numbers(updates) }));
    const reviewedUpdates = this.db
      .select({ number: sourcedUpdates.number })
      .from(sourcedUpdates)
      .where(and(eq(sourcedUpdates.guildId, guildId), eq(sourcedUpdates.reviewedBy, userId)))
      .all();
    if (reviewedUpdates.length) lines.push(t(lang, 'posts.privacy.reviewedUpdates', { ids: numbers(reviewedUpdates) }));
    const subscribed = this.db
      .select({ number: feeds.number })
      .from(feeds)
      .where(and(eq(feeds.guildId, guildId), eq(feeds.createdBy, userId)))
      .all();
    if (subscribed.length) lines.push(t(lang, 'posts.privacy.feeds', { ids: numbers(subscribed) }));
    const reviewedItems = this.db
      .select({ id: feedItems.id })
      .from(feedItems)
      .where(and(eq(feedItems.guildId, guildId), eq(feedItems.reviewedBy, userId)))
      .all().length;
    if (reviewedItems) lines.push(t(lang, 'posts.privacy.reviewedItems', { count: reviewedItems }));
    return lines.length ? [{ category: t(lang, 'posts.privacy.category'), lines }] : [];
  }

  erase(guildId: string, userId: string): number {
    return this.db.transaction((tx) => {
      let changed = 0;
      changed += tx
        .update(schedules)
        .set({ createdBy: null })
        .where(and(eq(schedules.guildId, guildId), eq(schedules.createdBy, userId)))
        .run().changes;
      changed += tx
        .update(advocacyActions)
        .set({ createdBy: null })
        .where(and(eq(advocacyActions.guildId, guildId), eq(advocacyActions.createdBy, userId)))
        .run().changes;
      changed += tx
        .update(sourcedUpdates)
        .set({ createdBy: null })
        .where(and(eq(sourcedUpdates.guildId, guildId), eq(sourcedUpdates.createdBy, userId)))
        .run().changes;
      changed += tx
        .update(sourcedUpdates)
        .set({ reviewedBy: null })
        .where(and(eq(sourcedUpdates.guildId, guildId), eq(sourcedUpdates.reviewedBy, userId)))
        .run().changes;
      changed += tx
        .update(feeds)
        .set({ createdBy: null })
        .where(and(eq(feeds.guildId, guildId), eq(feeds.createdBy, userId)))
        .run().changes;
      changed += tx
        .update(feedItems)
        .set({ reviewedBy: null })
        .where(and(eq(feedItems.guildId, guildId), eq(feedItems.reviewedBy, userId)))
        .run().changes;
      return changed;
    });
  }
}

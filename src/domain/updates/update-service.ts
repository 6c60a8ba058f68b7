import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { postSettings, sourcedUpdates } from '../../db/schema/index.js';
import type { Language } from '../../i18n/index.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import type { GuildSettingsService } from '../guild-settings.js';
import { bilingual, postLanguages } from '../posts/languages.js';
import { COLORS, escapeMarkdown, sourceLink, type PostMessage } from '../posts/message.js';
import type { OutboxStore } from '../posts/outbox.js';
import { nextNumber, type DbOrTx } from '../posts/sequence.js';
import { requireHttpsUrl, requireText } from '../posts/validation.js';

export type SourcedUpdate = typeof sourcedUpdates.$inferSelect;

export const UPDATE_LIMITS = { title: 200, summary: 1500, sources: 3 } as const;

export interface NewUpdate {
  guildId: string;
  title: string;
  summary: string;
  sources: (string | null | undefined)[];
  createdBy: string;
}

/** Where an update or feed item under review is decided, from a button or a command. */
export type ReviewDecision = 'approve' | 'reject';

/**
 * Sourced updates written by moderators: every one carries at least one https source, shown with
 * the post. Queued until an `updates` schedule posts them; held for review first if the guild
 * turned the review queue on.
 */
export class UpdateService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly settings: GuildSettingsService,
    private readonly outbox: OutboxStore,
  ) {}

  reviewEnabled(guildId: string): boolean {
    return this.db.select().from(postSettings).where(eq(postSettings.guildId, guildId)).get()?.reviewUpdates ?? false;
  }

  setReview(guildId: string, enabled: boolean): void {
    if (enabled && this.settings.get(guildId).modlogChannelId === null) throw new DomainError('posts.errors.noModlog');
    const now = this.clock.now();
    this.db
      .insert(postSettings)
      .values({ guildId, reviewUpdates: enabled, updatedAt: now })
      .onConflictDoUpdate({ target: postSettings.guildId, set: { reviewUpdates: enabled, updatedAt: now } })
      .run();
  }

  add(input: NewUpdate): SourcedUpdate {
    const title = requireText(input.title, 'title', UPDATE_LIMITS.title);
    const summary = requireText(input.summary, 'summary', UPDATE_LIMITS.summary);
    const sources = [...new Set(input.sources.filter((source): source is string => !!source?.trim()).map(requireHttpsUrl))];
    if (sources.length === 0) throw new DomainError('update.errors.noSource');
    const review = this.reviewEnabled(input.guildId);
    const modlog = this.settings.get(input.guildId).modlogChannelId;
    if (review && modlog === null) throw new DomainError('posts.errors.noModlog');
    const now = this.clock.now();
    const update = this.db.transaction((tx) => {
      const row = tx
        .insert(sourcedUpdates)
        .values({
          guildId: input.guildId,
          number: nextNumber(tx, input.guildId, 'update'),
          title,
          summary,
          sources: JSON.stringify(sources),
          status: review ? 'review' : 'queued',
          createdBy: input.createdBy,
          createdAt: now,
        })
        .returning()
        .get();
      if (review && modlog) {
        this.outbox.enqueue(tx, {
          guildId: input.guildId,
          channelId: modlog,
          kind: 'review',
          refId: row.id,
          message: this.renderReview(row, this.settings.get(input.guildId).defaultLanguage),
        });
      }
      return row;
    });
    if (review) this.outbox.notify();
    return update;
  }

  /** Waiting and queued updates first, then the last few posted, rejected or removed. */
  list(guildId: string): SourcedUpdate[] {
    const open = this.db
      .select()
      .from(sourcedUpdates)
      .where(and(eq(sourcedUpdates.guildId, guildId), inArray(sourcedUpdates.status, ['review', 'queued'])))
      .orderBy(asc(sourcedUpdates.number))
      .all();
    const done = this.db
      .select()
      .from(sourcedUpdates)
      .where(and(eq(sourcedUpdates.guildId, guildId), inArray(sourcedUpdates.status, ['posted', 'rejected', 'removed'])))
      .orderBy(desc(sourcedUpdates.number))
      .limit(10)
      .all();
    return [...open, ...done];
  }

  get(guildId: string, number: number): SourcedUpdate {
    const row = this.db
      .select()
      .from(sourcedUpdates)
      .where(and(eq(sourcedUpdates.guildId, guildId), eq(sourcedUpdates.number, number)))
      .get();
    if (!row) throw new DomainError('update.errors.notFound', { id: number });
    return row;
  }

  /** Withdraws an update not yet posted (a posted message is the channel's to delete). */
  remove(guildId: string, number: number): SourcedUpdate {
    const removed = this.db
      .update(sourcedUpdates)
      .set({ status: 'removed' })
      .where(
        and(eq(sourcedUpdates.guildId, guildId), eq(sourcedUpdates.number, number), inArray(sourcedUpdates.status, ['review', 'queued'])),
      )
      .returning()
      .get();
    if (removed) {
      this.outbox.cancelPending(guildId, ['review'], removed.id);
      return removed;
    }
    const current = this.get(guildId, number);
    throw new DomainError('update.errors.notRemovable', { id: number, status: current.status });
  }

  /** Approve or reject an update waiting for review; one conditional UPDATE, so two moderators can't both decide. */
  decide(guildId: string, number: number, decision: ReviewDecision, moderatorId: string): SourcedUpdate {
    const decided = this.db
      .update(sourcedUpdates)
      .set({ status: decision === 'approve' ? 'queued' : 'rejected', reviewedBy: moderatorId, reviewedAt: this.clock.now() })
      .where(and(eq(sourcedUpdates.guildId, guildId), eq(sourcedUpdates.number, number), eq(sourcedUpdates.status, 'review')))
      .returning()
      .get();
    if (decided) return decided;
    const current = this.get(guildId, number);
    throw new DomainError('posts.errors.alreadyDecided', { status: current.status });
  }

  /** Takes every queued update for a run (inside its transaction), oldest first, marking them posted. */
  takeQueued(tx: DbOrTx, guildId: string, runId: number): SourcedUpdate[] {
    const now = this.clock.now();
    return tx
      .update(sourcedUpdates)
      .set({ status: 'posted', postedAt: now, runId })
      .where(and(eq(sourcedUpdates.guildId, guildId), eq(sourcedUpdates.status, 'queued')))
      .returning()
      .all()
      .sort((a, b) => a.number - b.number);
  }

  sourcesOf(update: SourcedUpdate): string[] {
    return JSON.parse(update.sources) as string[];
  }

  render(update: SourcedUpdate, defaultLanguage: Language | null): PostMessage {
    const languages = postLanguages(defaultLanguage);
    return {
      embeds: [
        {
          title: update.title,
          url: this.sourcesOf(update)[0],
          description: update.summary,
          color: COLORS.update,
          fields: [{ name: bilingual(languages, 'posts.update.sources'), value: this.sourceLines(update) }],
          footer: bilingual(languages, 'posts.update.footer', { number: update.number }),
        },
      ],
    };
  }

  /** A digest block: bold title, summary, source links. */
  digestBlock(update: SourcedUpdate): string {
    return `**${escapeMarkdown(update.title)}**\n${update.summary}\n${this.sourceLines(update)}`;
  }

  renderReview(update: SourcedUpdate, defaultLanguage: Language | null): PostMessage {
    const languages = postLanguages(defaultLanguage);
    const post = this.render(update, defaultLanguage);
    return {
      content: bilingual(languages, 'posts.review.updateIntro', { number: update.number }),
      embeds: [{ ...post.embeds![0]!, color: COLORS.review }],
      buttons: [
        [
          { kind: 'action', label: bilingual(languages, 'posts.review.approve'), style: 'success', namespace: 'update', verb: 'approve', args: [update.number] },
          { kind: 'action', label: bilingual(languages, 'posts.review.reject'), style: 'danger', namespace: 'update', verb: 'reject', args: [update.number] },
        ],
      ],
    };
  }

  private sourceLines(update: SourcedUpdate): string {
    return this.sourcesOf(update)
      .map((url) => sourceLink(url))
      .join('\n');
  }
}

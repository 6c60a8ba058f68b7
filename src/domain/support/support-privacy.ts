import { and, count, eq, gt, inArray, isNotNull, isNull, lte, notInArray, or } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { supportAudit, supportBlocks, supportRateMarks, supportRequests, supportThreadDeletions } from '../../db/schema/index.js';
import { t, type Language } from '../../i18n/index.js';
import type { Clock } from '../clock.js';
import type { PrivacyParticipant, StoredItem } from '../privacy.js';
import { formatRequestNumber, RATE_LIMIT } from './types.js';

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * What support keeps about a member: their requests' metadata (and the audit entries of those),
 * a block, and, for staff, their id on requests they were assigned and on audit entries they made.
 */
export class SupportPrivacy implements PrivacyParticipant {
  readonly name = 'support';

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  describe(guildId: string, userId: string, lang: Language): StoredItem[] {
    const items: StoredItem[] = [];
    const requests = this.db
      .select()
      .from(supportRequests)
      .where(and(eq(supportRequests.guildId, guildId), eq(supportRequests.requesterId, userId)))
      .orderBy(supportRequests.number)
      .all();
    if (requests.length > 0) {
      items.push({
        category: t(lang, 'support.privacy.categories.requests'),
        lines: requests.map((request) =>
          t(lang, 'support.privacy.request', {
            number: formatRequestNumber(request.number),
            topic: t(lang, `support.topics.${request.topic}`),
            language: t(lang, `language.names.${request.language}`),
            status: t(lang, `support.status.${request.status}`),
            urgent: request.urgent ? t(lang, 'support.privacy.urgent') : '',
            opened: seconds(request.createdAt),
          }).trim(),
        ),
      });
    }
    const block = this.db
      .select()
      .from(supportBlocks)
      .where(and(eq(supportBlocks.guildId, guildId), eq(supportBlocks.userId, userId)))
      .get();
    if (block && block.expiresAt > this.clock.now()) {
      items.push({ category: t(lang, 'support.privacy.categories.block'), lines: [t(lang, 'support.privacy.blocked', { until: seconds(block.expiresAt) })] });
    }
    const marks = this.db
      .select({ createdAt: supportRateMarks.createdAt })
      .from(supportRateMarks)
      .where(and(eq(supportRateMarks.guildId, guildId), eq(supportRateMarks.userId, userId), gt(supportRateMarks.createdAt, this.clock.now() - RATE_LIMIT.windowMs)))
      .all();
    if (marks.length > 0) {
      const until = Math.max(...marks.map((mark) => mark.createdAt)) + RATE_LIMIT.windowMs;
      items.push({
        category: t(lang, 'support.privacy.categories.rateLimit'),
        lines: [t(lang, 'support.privacy.rateMarks', { count: marks.length, max: RATE_LIMIT.max, until: seconds(until) })],
      });
    }
    const assigned =
      this.db
        .select({ value: count() })
        .from(supportRequests)
        .where(and(eq(supportRequests.guildId, guildId), eq(supportRequests.assigneeId, userId)))
        .get()?.value ?? 0;
    // Entries on their own requests are part of those requests; count only what they did as staff.
    const ownIds = requests.map((request) => request.id);
    const actions =
      this.db
        .select({ value: count() })
        .from(supportAudit)
        .where(
          and(
            eq(supportAudit.guildId, guildId),
            eq(supportAudit.actorId, userId),
            ownIds.length > 0 ? or(isNull(supportAudit.requestId), notInArray(supportAudit.requestId, ownIds)) : undefined,
          ),
        )
        .get()?.value ?? 0;
    const blocksMade =
      this.db
        .select({ value: count() })
        .from(supportBlocks)
        .where(and(eq(supportBlocks.guildId, guildId), eq(supportBlocks.blockedBy, userId)))
        .get()?.value ?? 0;
    if (assigned + actions + blocksMade > 0) {
      items.push({
        category: t(lang, 'support.privacy.categories.staff'),
        lines: [
          t(lang, 'support.privacy.staffActivity', { assigned, actions }),
          ...(blocksMade > 0 ? [t(lang, 'support.privacy.blocksMade', { count: blocksMade })] : []),
        ],
      });
    }
    return items;
  }

  /** The member's active block, for the /privacy delete confirmation (it survives erasure). */
  activeBlockUntil(guildId: string, userId: string): number | null {
    const block = this.db
      .select()
      .from(supportBlocks)
      .where(and(eq(supportBlocks.guildId, guildId), eq(supportBlocks.userId, userId)))
      .get();
    return block && block.expiresAt > this.clock.now() ? block.expiresAt : null;
  }

  erase(guildId: string, userId: string): number {
    return this.db.transaction(
      () => {
        let changed = 0;
        // Any thread still named by their requests is queued before the rows go (see ConversationService).
        const threads = this.db
          .select({ threadId: supportRequests.threadId })
          .from(supportRequests)
          .where(and(eq(supportRequests.guildId, guildId), eq(supportRequests.requesterId, userId), isNotNull(supportRequests.threadId)))
          .all();
        for (const { threadId } of threads) {
          this.db.insert(supportThreadDeletions).values({ guildId, threadId: threadId! }).onConflictDoNothing().run();
        }
        // Erasing data must not reset the rate limit: keep only when recent requests were opened.
        const now = this.clock.now();
        const recent = this.db
          .select({ createdAt: supportRequests.createdAt })
          .from(supportRequests)
          .where(and(eq(supportRequests.guildId, guildId), eq(supportRequests.requesterId, userId), gt(supportRequests.createdAt, now - RATE_LIMIT.windowMs)))
          .all();
        for (const { createdAt } of recent) this.db.insert(supportRateMarks).values({ guildId, userId, createdAt }).run();
        // Their own requests go entirely (their audit entries cascade with them).
        changed += this.db
          .delete(supportRequests)
          .where(and(eq(supportRequests.guildId, guildId), eq(supportRequests.requesterId, userId)))
          .run().changes;
        // Entries saying they were blocked identify them: delete. As staff: keep the entry, drop the id.
        changed += this.db
          .delete(supportAudit)
          .where(
            and(
              eq(supportAudit.guildId, guildId),
              eq(supportAudit.targetId, userId),
              inArray(supportAudit.action, ['blocked', 'unblocked']),
            ),
          )
          .run().changes;
        changed += this.db
          .update(supportAudit)
          .set({ actorId: null })
          .where(and(eq(supportAudit.guildId, guildId), eq(supportAudit.actorId, userId)))
          .run().changes;
        changed += this.db
          .update(supportAudit)
          .set({ targetId: null })
          .where(and(eq(supportAudit.guildId, guildId), eq(supportAudit.targetId, userId)))
          .run().changes;
        changed += this.db
          .update(supportRequests)
          .set({ assigneeId: null })
          .where(and(eq(supportRequests.guildId, guildId), eq(supportRequests.assigneeId, userId)))
          .run().changes;
        // A moderators' block outlives erasure until it expires (purge removes it then): erasing data
        // must not lift it. Only what enforcement needs stays: guild, member, end date.
        changed += this.db
          .update(supportBlocks)
          .set({ blockedBy: null })
          .where(and(eq(supportBlocks.guildId, guildId), eq(supportBlocks.userId, userId), isNotNull(supportBlocks.blockedBy)))
          .run().changes;
        changed += this.db
          .delete(supportBlocks)
          .where(and(eq(supportBlocks.guildId, guildId), eq(supportBlocks.userId, userId), lte(supportBlocks.expiresAt, this.clock.now())))
          .run().changes;
        changed += this.db
          .update(supportBlocks)
          .set({ blockedBy: null })
          .where(and(eq(supportBlocks.guildId, guildId), eq(supportBlocks.blockedBy, userId)))
          .run().changes;
        return changed;
      },
      { behavior: 'immediate' },
    );
  }
}

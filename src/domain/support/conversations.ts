import { and, eq, inArray, isNotNull, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { supportAudit, supportRequests, supportThreadDeletions } from '../../db/schema/index.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import type { Actor, SupportRequest } from './types.js';

export interface PendingDeletion {
  guildId: string;
  threadId: string;
}

/**
 * A member's conversation is their support thread in Discord. Every thread the bot must delete is
 * first written here (guild and thread id only), then deleted in Discord, then forgotten; a thread
 * Discord refuses stays queued and a job retries it until it is gone.
 */
export class ConversationService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Threads of the member's requests (open and closed) that the bot created. */
  memberThreads(guildId: string, userId: string): string[] {
    return this.db
      .select({ threadId: supportRequests.threadId })
      .from(supportRequests)
      .where(
        and(
          eq(supportRequests.guildId, guildId),
          eq(supportRequests.requesterId, userId),
          ne(supportRequests.status, 'pending'),
          isNotNull(supportRequests.threadId),
        ),
      )
      .all()
      .map((row) => row.threadId!)
      .filter(Boolean);
  }

  queue(guildId: string, threadIds: string[]): void {
    for (const threadId of threadIds) {
      this.db.insert(supportThreadDeletions).values({ guildId, threadId }).onConflictDoNothing().run();
    }
  }

  isQueued(threadId: string): boolean {
    return this.db.select({ threadId: supportThreadDeletions.threadId }).from(supportThreadDeletions).where(eq(supportThreadDeletions.threadId, threadId)).get() !== undefined;
  }

  /** The thread is gone from Discord: nothing more to do for it. */
  done(threadIds: string[]): void {
    if (threadIds.length === 0) return;
    this.db.delete(supportThreadDeletions).where(inArray(supportThreadDeletions.threadId, threadIds)).run();
  }

  pending(limit = 50): PendingDeletion[] {
    return this.db.select().from(supportThreadDeletions).limit(limit).all();
  }

  /** Who may delete a request's conversation, and when; returns its thread id. */
  static checkForget(request: SupportRequest, actor: Actor): string {
    if (actor.userId !== request.requesterId && !actor.moderator) throw new DomainError('support.conversation.errors.notAllowed');
    if (request.status !== 'closed') throw new DomainError('support.conversation.errors.notClosed', { number: request.number });
    if (!request.threadId) throw new DomainError('support.conversation.errors.alreadyDeleted', { number: request.number });
    return request.threadId;
  }

  /**
   * "Delete this conversation" on a closed request, by its requester or a moderator. The request's
   * metadata stays (until retention) without its thread; the thread is queued for deletion.
   */
  forget(guildId: string, requestId: number, actor: Actor): { request: SupportRequest; threadId: string } {
    return this.db.transaction(
      () => {
        const request = this.db
          .select()
          .from(supportRequests)
          .where(and(eq(supportRequests.guildId, guildId), eq(supportRequests.id, requestId)))
          .get();
        if (!request || request.status === 'pending') throw new DomainError('triage.errors.notFound');
        const threadId = ConversationService.checkForget(request, actor);
        this.queue(guildId, [threadId]);
        const now = this.clock.now();
        const updated = this.db
          .update(supportRequests)
          .set({ threadId: null, intakeMessageId: null, updatedAt: now })
          .where(eq(supportRequests.id, request.id))
          .returning()
          .get()!;
        this.db
          .insert(supportAudit)
          .values({ guildId, requestId: request.id, number: request.number, actorId: actor.userId, action: 'conversationDeleted', createdAt: now })
          .run();
        return { request: updated, threadId };
      },
      { behavior: 'immediate' },
    );
  }
}

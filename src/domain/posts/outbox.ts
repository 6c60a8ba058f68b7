import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { outboxPosts, scheduledRuns, schedules } from '../../db/schema/index.js';
import type { Clock } from '../clock.js';
import { fitMessage, type PostMessage } from './message.js';
import type { DbOrTx } from './sequence.js';

export type OutboxPost = typeof outboxPosts.$inferSelect;
export type OutboxKind = OutboxPost['kind'];

export interface OutboxDraft {
  guildId: string;
  channelId: string;
  kind: OutboxKind;
  message: PostMessage;
  runId?: number | null;
  scheduleId?: number | null;
  refId?: number | null;
}

/** What the delivery worker needs from Discord; implemented in src/discord/posts/publisher.ts. */
export interface PostPublisher {
  /** Sends with Discord's nonce + enforce_nonce, so a re-send within minutes returns the same message. */
  send(channelId: string, message: PostMessage, nonce: string): Promise<{ messageId: string }>;
  /** After a crash mid-send: the message this post created, looked up in the channel, if any. */
  findSent(channelId: string, message: PostMessage, nonce: string, sinceMs: number): Promise<string | null>;
}

/** A failed send, classified: retryable (5xx, 429, network) or not (missing access, unknown channel). */
export class PublishError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PublishError';
  }
}

/** Discord accepts nonces of up to 25 characters. */
export function newNonce(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * The outbox: posts are written here in the same transaction that decides them, then sent by the
 * delivery worker. Status moves pending → sending → sent (or back to pending with a later
 * attempt time, or failed); each transition is one conditional UPDATE.
 */
export class OutboxStore {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Adds a post; call inside the run's transaction, then `notify()` after it commits. */
  enqueue(tx: DbOrTx, draft: OutboxDraft): OutboxPost {
    const now = this.clock.now();
    return tx
      .insert(outboxPosts)
      .values({
        guildId: draft.guildId,
        channelId: draft.channelId,
        kind: draft.kind,
        runId: draft.runId ?? null,
        scheduleId: draft.scheduleId ?? null,
        refId: draft.refId ?? null,
        payload: JSON.stringify(fitMessage(draft.message)),
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        nonce: newNonce(),
        createdAt: now,
      })
      .returning()
      .get();
  }

  /** Enqueues outside a run (review messages, notices) and wakes the worker. */
  post(draft: OutboxDraft): OutboxPost {
    const post = this.enqueue(this.db, draft);
    this.notify();
    return post;
  }

  onEnqueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Claims the oldest due post: one conditional UPDATE, so two workers can never both send it. */
  claimNext(): OutboxPost | undefined {
    const now = this.clock.now();
    const due = this.db
      .select({ id: outboxPosts.id })
      .from(outboxPosts)
      .where(and(eq(outboxPosts.status, 'pending'), lte(outboxPosts.nextAttemptAt, now)))
      .orderBy(asc(outboxPosts.nextAttemptAt), asc(outboxPosts.id))
      .limit(1)
      .get();
    if (!due) return undefined;
    return this.db
      .update(outboxPosts)
      .set({ status: 'sending', attempts: sql`${outboxPosts.attempts} + 1`, claimedAt: now })
      .where(and(eq(outboxPosts.id, due.id), eq(outboxPosts.status, 'pending')))
      .returning()
      .get();
  }

  markSent(id: number, messageId: string): void {
    this.db
      .update(outboxPosts)
      .set({ status: 'sent', messageId, sentAt: this.clock.now(), lastError: null })
      .where(and(eq(outboxPosts.id, id), eq(outboxPosts.status, 'sending')))
      .run();
  }

  markRetry(id: number, delayMs: number, error: string): void {
    this.db
      .update(outboxPosts)
      .set({ status: 'pending', nextAttemptAt: this.clock.now() + delayMs, lastError: error.slice(0, 300) })
      .where(and(eq(outboxPosts.id, id), eq(outboxPosts.status, 'sending')))
      .run();
  }

  markFailed(id: number, error: string): void {
    this.db
      .update(outboxPosts)
      .set({ status: 'failed', lastError: error.slice(0, 300) })
      .where(and(eq(outboxPosts.id, id), eq(outboxPosts.status, 'sending')))
      .run();
  }

  /** Posts a crash left in 'sending': sent or not, we cannot tell without asking Discord. */
  inFlight(): OutboxPost[] {
    return this.db.select().from(outboxPosts).where(eq(outboxPosts.status, 'sending')).orderBy(asc(outboxPosts.id)).all();
  }

  /** Back to pending with the same nonce: a re-send within Discord's nonce window cannot duplicate. */
  requeue(id: number): void {
    this.db
      .update(outboxPosts)
      .set({ status: 'pending', nextAttemptAt: this.clock.now() })
      .where(and(eq(outboxPosts.id, id), eq(outboxPosts.status, 'sending')))
      .run();
  }

  /** When the next pending post is due (null: nothing pending). */
  nextDueAt(): number | null {
    const row = this.db
      .select({ at: sql<number | null>`min(${outboxPosts.nextAttemptAt})` })
      .from(outboxPosts)
      .where(eq(outboxPosts.status, 'pending'))
      .get();
    return row?.at ?? null;
  }

  get(id: number): OutboxPost | undefined {
    return this.db.select().from(outboxPosts).where(eq(outboxPosts.id, id)).get();
  }

  forRun(runId: number): OutboxPost[] {
    return this.db.select().from(outboxPosts).where(eq(outboxPosts.runId, runId)).orderBy(asc(outboxPosts.id)).all();
  }

  countByStatus(guildId: string): Record<string, number> {
    const rows = this.db
      .select({ status: outboxPosts.status, n: sql<number>`count(*)` })
      .from(outboxPosts)
      .where(eq(outboxPosts.guildId, guildId))
      .groupBy(outboxPosts.status)
      .all();
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  }

  /**
   * Deletes finished posts (sent, failed, cancelled) older than `olderThanMs`, and run keys older
   * than that whose schedule has moved past them (they can never be claimed again).
   */
  prune(olderThanMs: number): { posts: number; runs: number } {
    const cutoff = this.clock.now() - olderThanMs;
    return this.db.transaction((tx) => {
      const posts = tx
        .delete(outboxPosts)
        .where(and(inArray(outboxPosts.status, ['sent', 'failed', 'cancelled']), lte(outboxPosts.createdAt, cutoff)))
        .run().changes;
      const runs = tx
        .delete(scheduledRuns)
        .where(
          and(
            lte(scheduledRuns.createdAt, cutoff),
            sql`NOT EXISTS (SELECT 1 FROM ${schedules} WHERE ${schedules.id} = ${scheduledRuns.scheduleId} AND coalesce(${schedules.nextRunAt}, 0) <= ${scheduledRuns.fireTime})`,
          ),
        )
        .run().changes;
      return { posts, runs };
    });
  }

  /** Cancels pending posts about a record that was withdrawn (e.g. a removed update). */
  cancelPending(guildId: string, kinds: OutboxKind[], refId: number): number {
    return this.db
      .update(outboxPosts)
      .set({ status: 'cancelled' })
      .where(
        and(
          eq(outboxPosts.guildId, guildId),
          inArray(outboxPosts.kind, kinds),
          eq(outboxPosts.refId, refId),
          eq(outboxPosts.status, 'pending'),
        ),
      )
      .run().changes;
  }
}

export function parsePayload(post: OutboxPost): PostMessage {
  return JSON.parse(post.payload) as PostMessage;
}

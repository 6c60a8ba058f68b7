import type { Clock } from '../domain/clock.js';
import { parsePayload, PublishError, type OutboxPost, type OutboxStore, type PostPublisher } from '../domain/posts/outbox.js';
import type { Logger } from '../logger.js';

export interface DeliveryOptions {
  /** Attempts before a post is given up (and the mod log told). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * Discord returns the existing message for a re-sent nonce only for "a few minutes"; within
   * this window a post left mid-send by a crash is simply re-sent with its nonce.
   */
  nonceWindowMs: number;
  /** Longest sleep between looks at the outbox (also picks up posts written by other paths). */
  idlePollMs: number;
}

export const DELIVERY_DEFAULTS: DeliveryOptions = {
  maxAttempts: 10,
  baseDelayMs: 5_000,
  maxDelayMs: 10 * 60_000,
  nonceWindowMs: 2 * 60_000,
  idlePollMs: 30_000,
};

/** Exponential backoff: 5 s, 10 s, 20 s … capped, never shorter than Discord's retry_after. */
export function retryDelay(attempts: number, options: DeliveryOptions, retryAfterMs = 0): number {
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.max(exponential, retryAfterMs);
}

/**
 * Sends outbox posts one at a time, in order. A failure that discord.js's own retries could not
 * overcome (5xx, 429, network) is retried here with backoff and survives restarts, since the state
 * is in the database. On start, posts a crash left mid-send are resolved without duplicates:
 * re-sent with the same nonce inside Discord's nonce window, else looked up in the channel first.
 */
export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private wakeRequested = false;
  private stopped = true;
  private unsubscribe: (() => void) | undefined;
  private readonly options: DeliveryOptions;

  constructor(
    private readonly outbox: OutboxStore,
    private readonly publisher: PostPublisher,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onGiveUp: (post: OutboxPost, reason: string) => void,
    options: Partial<DeliveryOptions> = {},
  ) {
    this.options = { ...DELIVERY_DEFAULTS, ...options };
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    await this.recover();
    this.unsubscribe = this.outbox.onEnqueued(() => this.wake());
    this.wake();
  }

  /** Look at the outbox now (new posts were written). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    this.arm(0);
  }

  /** Stops taking posts and waits (bounded) for the send in flight; true if it finished. */
  async stop(timeoutMs: number): Promise<boolean> {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.timer);
    if (!this.running) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const done = await Promise.race([this.running.then(() => true as const), timeout]);
    clearTimeout(timer);
    return done;
  }

  /** Resolves posts left in 'sending' by a crash. Exposed for tests. */
  async recover(): Promise<void> {
    const now = this.clock.now();
    for (const post of this.outbox.inFlight()) {
      const claimedAt = post.claimedAt ?? 0;
      if (now - claimedAt <= this.options.nonceWindowMs) {
        // Discord returns the message already created for this nonce instead of a new one.
        this.outbox.requeue(post.id);
        this.logger.info({ guildId: post.guildId, postId: post.id }, 'post left mid-send: re-sending with its nonce');
        continue;
      }
      let found: string | null = null;
      try {
        found = await this.publisher.findSent(post.channelId, parsePayload(post), post.nonce, claimedAt);
      } catch (error) {
        this.logger.warn({ err: error, postId: post.id }, 'could not check the channel for a post left mid-send');
      }
      if (found) {
        this.outbox.markSent(post.id, found);
        this.logger.info({ guildId: post.guildId, postId: post.id, messageId: found }, 'post left mid-send was delivered: recorded');
      } else {
        this.outbox.requeue(post.id);
        this.logger.info({ guildId: post.guildId, postId: post.id }, 'post left mid-send not found in the channel: re-sending');
      }
    }
  }

  /** Sends every post due now, one by one; returns how many were attempted. Exposed for tests. */
  async deliverDue(options: { honourStop?: boolean } = {}): Promise<number> {
    let attempted = 0;
    while (!(options.honourStop && this.stopped)) {
      const post = this.outbox.claimNext();
      if (!post) break;
      attempted++;
      await this.deliver(post);
    }
    return attempted;
  }

  private arm(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), delayMs);
  }

  private tick(): void {
    if (this.stopped || this.running) return;
    this.running = this.deliverDue({ honourStop: true })
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error({ err: error }, 'delivery loop failed'))
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        if (this.wakeRequested) {
          this.wakeRequested = false;
          this.arm(0);
          return;
        }
        const next = this.outbox.nextDueAt();
        const delay = next === null ? this.options.idlePollMs : Math.min(this.options.idlePollMs, Math.max(0, next - this.clock.now()));
        this.arm(delay);
      });
  }

  private async deliver(post: OutboxPost): Promise<void> {
    const started = performance.now();
    try {
      const { messageId } = await this.publisher.send(post.channelId, parsePayload(post), post.nonce);
      this.outbox.markSent(post.id, messageId);
      this.logger.info(
        { guildId: post.guildId, postId: post.id, runId: post.runId, kind: post.kind, messageId, attempts: post.attempts, ms: Math.round(performance.now() - started) },
        'post delivered',
      );
    } catch (error) {
      const failure =
        error instanceof PublishError ? error : new PublishError(error instanceof Error ? error.message : String(error), true);
      const reason = failure.status ? `HTTP ${failure.status}: ${failure.message}` : failure.message;
      if (failure.retryable && post.attempts < this.options.maxAttempts) {
        const delay = retryDelay(post.attempts, this.options, failure.retryAfterMs);
        this.outbox.markRetry(post.id, delay, reason);
        this.logger.warn({ guildId: post.guildId, postId: post.id, attempts: post.attempts, delayMs: delay, reason }, 'post not delivered: will retry');
        return;
      }
      this.outbox.markFailed(post.id, reason);
      this.logger.error({ guildId: post.guildId, postId: post.id, attempts: post.attempts, reason }, 'post not delivered: giving up');
      try {
        this.onGiveUp(post, failure.message);
      } catch (reportError) {
        this.logger.error({ err: reportError, postId: post.id }, 'could not report an undelivered post');
      }
    }
  }
}

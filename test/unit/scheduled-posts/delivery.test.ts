import { describe, expect, it } from 'vitest';
import { PublishError, type OutboxPost } from '../../../src/domain/posts/outbox.js';
import { createLogger } from '../../../src/logger.js';
import { DeliveryWorker, DELIVERY_DEFAULTS, retryDelay } from '../../../src/scheduler/delivery-worker.js';
import { DAY, MINUTE } from '../../support/test-db.js';
import { ADMIN, CHANNEL, FakePublisher, GUILD, MODLOG, world } from './support.js';

const logger = createLogger('silent');

async function scheduledPost(w: ReturnType<typeof world>) {
  w.schedules.add({ guildId: GUILD, job: 'advocacy', cron: '0 9 * * *', channelId: CHANNEL, createdBy: ADMIN });
  const { outcome } = await w.postRuns.runNow(GUILD, 1);
  return w.outbox.forRun(outcome.runId!)[0]!;
}

function worker(w: ReturnType<typeof world>, publisher: FakePublisher, gaveUp: OutboxPost[] = []) {
  return new DeliveryWorker(w.outbox, publisher, w.clock, logger, (post, reason) => {
    gaveUp.push(post);
    w.postRuns.reportDeliveryFailure(post, reason);
  });
}

describe('outbox delivery', () => {
  it('sends a post once and records the message id', async () => {
    const w = world();
    const publisher = new FakePublisher();
    const post = await scheduledPost(w);
    expect(await worker(w, publisher).deliverDue()).toBe(1);
    expect(await worker(w, publisher).deliverDue()).toBe(0);
    expect(publisher.sends).toHaveLength(1);
    expect(w.outbox.get(post.id)).toMatchObject({ status: 'sent', messageId: '1', attempts: 1 });
  });

  it('retries a 5xx that outlasted discord.js with backoff, with the same nonce, and posts exactly once', async () => {
    const w = world();
    const publisher = new FakePublisher();
    publisher.failures.push(new PublishError('Internal Server Error', true, undefined, 500));
    const post = await scheduledPost(w);
    const delivery = worker(w, publisher);
    await delivery.deliverDue();
    expect(w.outbox.get(post.id)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 500: Internal Server Error' });
    expect(w.outbox.get(post.id)!.nextAttemptAt).toBe(w.clock.now() + DELIVERY_DEFAULTS.baseDelayMs);
    // Not before the backoff.
    expect(await delivery.deliverDue()).toBe(0);
    w.clock.advance(DELIVERY_DEFAULTS.baseDelayMs);
    expect(await delivery.deliverDue()).toBe(1);
    expect(w.outbox.get(post.id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(publisher.sends.map((send) => send.nonce)).toEqual([post.nonce, post.nonce]);
    expect(publisher.messages.size).toBe(1);
  });

  it('a lost response (sent, but the answer never came) is re-sent with its nonce and yields one message', async () => {
    const w = world();
    const publisher = new FakePublisher();
    publisher.loseResponses = 1;
    const post = await scheduledPost(w);
    const delivery = worker(w, publisher);
    await delivery.deliverDue();
    w.clock.advance(MINUTE);
    await delivery.deliverDue();
    expect(publisher.sends).toHaveLength(2);
    expect(publisher.messages.size).toBe(1);
    expect(w.outbox.get(post.id)).toMatchObject({ status: 'sent', messageId: '1' });
  });

  it('honours a rate limit retry-after longer than its own backoff', async () => {
    const w = world();
    const publisher = new FakePublisher();
    publisher.failures.push(new PublishError('rate limited', true, 90_000, 429));
    const post = await scheduledPost(w);
    await worker(w, publisher).deliverDue();
    expect(w.outbox.get(post.id)!.nextAttemptAt).toBe(w.clock.now() + 90_000);
    expect(retryDelay(3, DELIVERY_DEFAULTS)).toBe(20_000);
    expect(retryDelay(30, DELIVERY_DEFAULTS)).toBe(DELIVERY_DEFAULTS.maxDelayMs);
  });

  it('gives up on a permanent error (missing access) and tells the mod log', async () => {
    const w = world();
    w.settings.setChannels(GUILD, { modlogChannelId: MODLOG });
    const publisher = new FakePublisher();
    publisher.failures.push(new PublishError('50001: Missing Access', false, undefined, 403));
    const gaveUp: OutboxPost[] = [];
    const post = await scheduledPost(w);
    const delivery = worker(w, publisher, gaveUp);
    await delivery.deliverDue();
    expect(w.outbox.get(post.id)).toMatchObject({ status: 'failed', lastError: 'HTTP 403: 50001: Missing Access' });
    expect(gaveUp.map((entry) => entry.id)).toEqual([post.id]);
    // The notice itself goes out through the outbox, to the mod log.
    await delivery.deliverDue();
    const notice = publisher.sends.at(-1)!;
    expect(notice.channelId).toBe(MODLOG);
    expect(JSON.stringify(notice.message)).toContain(`<#${CHANNEL}>`);
  });

  it('gives up after the maximum number of attempts', async () => {
    const w = world();
    const publisher = new FakePublisher();
    for (let i = 0; i < DELIVERY_DEFAULTS.maxAttempts; i++) publisher.failures.push(new PublishError('Bad Gateway', true, undefined, 502));
    const post = await scheduledPost(w);
    const delivery = worker(w, publisher);
    for (let i = 0; i < DELIVERY_DEFAULTS.maxAttempts; i++) {
      await delivery.deliverDue();
      w.clock.advance(DELIVERY_DEFAULTS.maxDelayMs);
    }
    expect(w.outbox.get(post.id)).toMatchObject({ status: 'failed', attempts: DELIVERY_DEFAULTS.maxAttempts });
    expect(publisher.messages.size).toBe(0);
  });

  describe('after a crash between send and record', () => {
    /** The post was claimed and sent, then the process died before recording it. */
    async function crashedAfterSend(w: ReturnType<typeof world>, publisher: FakePublisher) {
      const post = await scheduledPost(w);
      const claimed = w.outbox.claimNext()!;
      await publisher.send(claimed.channelId, JSON.parse(claimed.payload), claimed.nonce);
      expect(w.outbox.get(post.id)!.status).toBe('sending');
      return post;
    }

    it('within the nonce window: re-sends with the same nonce; Discord returns the same message', async () => {
      const w = world();
      const publisher = new FakePublisher();
      const post = await crashedAfterSend(w, publisher);
      w.clock.advance(30_000);
      const restarted = worker(w, publisher);
      await restarted.recover();
      await restarted.deliverDue();
      expect(publisher.sends.map((send) => send.nonce)).toEqual([post.nonce, post.nonce]);
      expect(publisher.messages.size).toBe(1);
      expect(w.outbox.get(post.id)).toMatchObject({ status: 'sent', messageId: '1' });
    });

    it('after the window: finds the message in the channel and records it without sending again', async () => {
      const w = world();
      const publisher = new FakePublisher();
      const post = await crashedAfterSend(w, publisher);
      w.clock.advance(30 * MINUTE);
      const restarted = worker(w, publisher);
      await restarted.recover();
      expect(await restarted.deliverDue()).toBe(0);
      expect(publisher.sends).toHaveLength(1);
      expect(w.outbox.get(post.id)).toMatchObject({ status: 'sent', messageId: '1' });
    });

    it('after the window, when nothing was sent: sends it (nothing lost)', async () => {
      const w = world();
      const publisher = new FakePublisher();
      const post = await scheduledPost(w);
      w.outbox.claimNext();
      w.clock.advance(30 * MINUTE);
      const restarted = worker(w, publisher);
      await restarted.recover();
      await restarted.deliverDue();
      expect(publisher.messages.size).toBe(1);
      expect(w.outbox.get(post.id)!.status).toBe('sent');
    });
  });

  it('removing a schedule cancels its posts not yet sent', async () => {
    const w = world();
    const publisher = new FakePublisher();
    const post = await scheduledPost(w);
    w.schedules.remove(GUILD, 1);
    expect(await worker(w, publisher).deliverDue()).toBe(0);
    expect(w.outbox.get(post.id)!.status).toBe('cancelled');
  });
});

describe('outbox housekeeping', () => {
  it('prunes finished posts and past run keys after the retention period, keeping what is pending', async () => {
    const w = world();
    const publisher = new FakePublisher();
    const sent = await scheduledPost(w);
    await worker(w, publisher).deliverDue();
    publisher.failures.push(new PublishError('Bad Gateway', true, undefined, 502));
    const { outcome } = await w.postRuns.runNow(GUILD, 1);
    const pending = w.outbox.forRun(outcome.runId!)[0]!;
    await worker(w, publisher).deliverDue();
    expect(w.outbox.prune(DAY)).toEqual({ posts: 0, runs: 0 });
    w.clock.advance(2 * DAY);
    expect(w.outbox.prune(DAY)).toEqual({ posts: 1, runs: 2 });
    expect(w.outbox.get(sent.id)).toBeUndefined();
    expect(w.outbox.get(pending.id)!.status).toBe('pending');
  });
});

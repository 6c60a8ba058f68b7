import type { Db } from '../../../src/db/client.js';
import { FeedFetcher, type FeedFetcherOptions } from '../../../src/domain/feeds/fetcher.js';
import { GuildSettingsService } from '../../../src/domain/guild-settings.js';
import type { PostMessage } from '../../../src/domain/posts/message.js';
import { createScheduledPostsServices, type ScheduledPostsServices } from '../../../src/domain/posts/index.js';
import { PublishError, type PostPublisher } from '../../../src/domain/posts/outbox.js';
import type { TeamDigestSource } from '../../../src/domain/posts/team-digest.js';
import { createLogger } from '../../../src/logger.js';
import { createTestDb, FakeClock } from '../../support/test-db.js';

export const GUILD = '100000000000000001';
export const OTHER_GUILD = '100000000000000002';
export const ADMIN = '200000000000000001';
export const MODERATOR = '200000000000000002';
export const CHANNEL = '300000000000000001';
export const MODLOG = '300000000000000009';

export interface World extends ScheduledPostsServices {
  db: Db;
  clock: FakeClock;
  settings: GuildSettingsService;
}

export function world(options: { fetcher?: Partial<FeedFetcherOptions>; digests?: TeamDigestSource } = {}): World {
  const db = createTestDb();
  const clock = new FakeClock();
  const logger = createLogger('silent');
  const settings = new GuildSettingsService(db, clock);
  const posts = createScheduledPostsServices(db, clock, logger, settings, {
    fetcher: new FeedFetcher({ allowPrivateHosts: true, ...options.fetcher }),
    digests: options.digests,
  });
  return { db, clock, settings, ...posts };
}

/** A publisher standing in for Discord: records sends; honours nonces the way Discord does. */
export class FakePublisher implements PostPublisher {
  readonly sends: { channelId: string; message: PostMessage; nonce: string }[] = [];
  /** Messages that exist in the "channel", one per distinct nonce. */
  readonly messages = new Map<string, { id: string; channelId: string; message: PostMessage }>();
  /** Scripted failures, consumed one per send. */
  readonly failures: PublishError[] = [];
  /** Fail after the message is created (a lost response): the worst case for duplicates. */
  loseResponses = 0;
  private nextId = 1;

  async send(channelId: string, message: PostMessage, nonce: string): Promise<{ messageId: string }> {
    this.sends.push({ channelId, message, nonce });
    const failure = this.failures.shift();
    if (failure) throw failure;
    let created = this.messages.get(nonce);
    if (!created) {
      created = { id: String(this.nextId++), channelId, message };
      this.messages.set(nonce, created);
    }
    if (this.loseResponses > 0) {
      this.loseResponses--;
      throw new PublishError('socket hang up', true);
    }
    return { messageId: created.id };
  }

  async findSent(_channelId: string, _message: PostMessage, nonce: string): Promise<string | null> {
    return this.messages.get(nonce)?.id ?? null;
  }
}

export { atom, FeedServer, rss, servesWithEtag, type Handler, type RssItem } from '../../support/feed-server.js';

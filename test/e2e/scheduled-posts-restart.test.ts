import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Database from 'better-sqlite3';
import type { APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../../src/stand-in/index.js';
import { startHarness, type Harness, openBotDatabase } from '../support/harness.js';
import { eventually } from '../support/eventually.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));


/**
 * A pass-through proxy in front of the stand-in's REST API that can swallow the response to one
 * message POST: the stand-in creates the message, the bot never hears back. Killing the bot then
 * is exactly "a crash between send and record".
 */
class SwallowingProxy {
  private server: Server | undefined;
  private holdPath: string | null = null;
  held = 0;
  port = 0;

  constructor(private readonly upstream: URL) {}

  async start(): Promise<this> {
    this.server = createServer((incoming, outgoing) => {
      const swallow = incoming.method === 'POST' && incoming.url === this.holdPath;
      if (swallow) this.holdPath = null;
      const forward = httpRequest(
        { host: this.upstream.hostname, port: this.upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (response) => {
          if (swallow) {
            // Read the answer so the stand-in finishes, then keep the bot waiting forever.
            response.resume();
            response.on('end', () => this.held++);
            return;
          }
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
        },
      );
      forward.on('error', () => outgoing.destroy());
      incoming.pipe(forward);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  swallowNextMessageTo(channelId: string): void {
    this.holdPath = `/api/v10/channels/${channelId}/messages`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('scheduled posts across crashes and restarts, end to end', () => {
  let harness: Harness;
  let db: Database.Database;
  let proxy: SwallowingProxy;

  beforeAll(async () => {
    harness = await startHarness();
    proxy = await new SwallowingProxy(new URL(harness.standIn.apiUrl)).start();
    db = openBotDatabase(harness.databasePath);
  });

  afterAll(async () => {
    db?.close();
    await harness?.stop();
    await proxy?.stop();
  });

  const community = () => harness.community;
  const run = (command: string, subcommand: string, options: Record<string, string | number | boolean> = {}): InteractionHandle =>
    harness.standIn.chatInput({
      guildId: community().guildId,
      channelId: community().channels.general,
      userId: community().users.admin,
      locale: 'en-US',
      command,
      subcommand,
      options,
    });
  const answer = async (handle: InteractionHandle) => JSON.stringify(await handle.waitForMessage(undefined, 10_000));
  const posts = (channelId: string): APIMessage[] =>
    harness.standIn.messagesIn(channelId).map((stored) => stored.message).filter((message) => message.author.id === harness.standIn.botUserId && !message.interaction_metadata);

  it('SIGKILL right after a send, before it is recorded: the restarted bot does not post twice', async () => {
    const channel = community().channels.advocacy;
    // Yearly: it only runs when asked.
    expect(await answer(run('schedule', 'add', { job: 'advocacy', cron: '0 0 1 1 *', channel }))).toContain('Schedule #1 saved');
    await harness.restart({ apiUrl: proxy.apiUrl });

    proxy.swallowNextMessageTo(channel);
    expect(await answer(run('schedule', 'run', { id: 1 }))).toContain('1 post on its way');
    await eventually(() => proxy.held === 1 && posts(channel).length === 1, 'the message created, its response swallowed');
    const killed = await harness.bot.stop('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    const stuck = db.prepare('SELECT id, status, nonce, message_id AS messageId FROM outbox_posts').get() as { id: number; status: string; nonce: string; messageId: string | null };
    expect(stuck).toMatchObject({ status: 'sending', messageId: null });

    await harness.restart({ apiUrl: harness.standIn.apiUrl });
    await eventually(() => (db.prepare('SELECT status FROM outbox_posts WHERE id = ?').get(stuck.id) as { status: string }).status === 'sent', 'the post recorded');
    expect(posts(channel)).toHaveLength(1);
    const recorded = db.prepare('SELECT message_id AS messageId FROM outbox_posts WHERE id = ?').get(stuck.id) as { messageId: string };
    expect(recorded.messageId).toBe(posts(channel)[0]!.id);
    // Both sends carried the same nonce with enforce_nonce; the second got the first message back.
    const sends = harness.standIn.requests.filter((request) => request.method === 'POST' && request.path === `/channels/${channel}/messages`);
    expect(sends.map((request) => (request.body as { nonce: string }).nonce)).toEqual([stuck.nonce, stuck.nonce]);
    expect(harness.bot.lines.some((line) => line.msg === 'post left mid-send: re-sending with its nonce')).toBe(true);
  });

  it('runs missed while the bot was down are caught up once, not once per missed tick', async () => {
    const channel = community().channels.updates;
    expect(await answer(run('schedule', 'add', { job: 'advocacy', cron: '* * * * * *', channel }))).toContain('Schedule #2 saved');
    await eventually(() => posts(channel).length >= 1, 'a first post');
    await harness.bot.stop('SIGTERM');
    const stoppedAt = Date.now();
    const { nextRunAt } = db.prepare('SELECT next_run_at AS nextRunAt FROM schedules WHERE number = 2').get() as { nextRunAt: number };
    // Down for a few seconds: several every-second ticks are missed.
    await sleep(3_500);
    const restartedAt = Date.now();
    await harness.restart();
    const catchUp = await eventually(
      () => db.prepare("SELECT fire_time AS fireTime FROM scheduled_runs WHERE schedule_id = (SELECT id FROM schedules WHERE number = 2) AND kind = 'catch-up'").all() as { fireTime: number }[],
      'the catch-up run',
    );
    expect(await answer(run('schedule', 'pause', { id: 2 }))).toContain('Schedule #2 is paused');
    expect(catchUp).toEqual([{ fireTime: nextRunAt }]);
    const inDowntime = db
      .prepare('SELECT count(*) AS n FROM scheduled_runs WHERE schedule_id = (SELECT id FROM schedules WHERE number = 2) AND fire_time > ? AND fire_time < ?')
      .get(stoppedAt, restartedAt) as { n: number };
    expect(inDowntime.n).toBeLessThanOrEqual(1);
    await eventually(() => (db.prepare("SELECT count(*) AS n FROM outbox_posts WHERE status IN ('pending', 'sending')").get() as { n: number }).n === 0, 'outbox drained');
    const runs = db.prepare('SELECT count(*) AS n FROM scheduled_runs WHERE schedule_id = (SELECT id FROM schedules WHERE number = 2)').get() as { n: number };
    expect(posts(channel)).toHaveLength(runs.n);
    expect(harness.bot.errors()).toEqual([]);
  });
});

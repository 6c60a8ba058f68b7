import type Database from 'better-sqlite3';
import { PermissionFlagsBits, type APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionHandle, RecordedRequest } from '../../src/stand-in/index.js';
import { atom, FeedServer, rss, servesWithEtag, type RssItem } from '../support/feed-server.js';
import { startHarness, type Harness, openBotDatabase } from '../support/harness.js';
import { eventually } from '../support/eventually.js';

const WAIT = 10_000;
const text = (value: unknown) => JSON.stringify(value);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));


const items = (prefix: string, count: number): RssItem[] =>
  Array.from({ length: count }, (_, i) => ({
    title: `${prefix} ${i + 1}`,
    link: `https://news.example.org/${prefix.toLowerCase()}-${i + 1}`,
    guid: `${prefix}-${i + 1}`,
    date: new Date(Date.UTC(2026, 10, i + 1, 10)).toUTCString(),
  }));

describe('scheduled posts, end to end', () => {
  let harness: Harness;
  let db: Database.Database;
  const feeds = new FeedServer();

  beforeAll(async () => {
    await feeds.start();
    harness = await startHarness();
    db = openBotDatabase(harness.databasePath);
  });

  afterAll(async () => {
    db?.close();
    await harness?.stop();
    await feeds.stop();
  });

  const community = () => harness.community;
  const run = (userId: string, command: string, subcommand: string, options: Record<string, string | number | boolean> = {}): InteractionHandle =>
    harness.standIn.chatInput({ guildId: community().guildId, channelId: community().channels.general, userId, locale: 'en-US', command, subcommand, options });
  const answer = async (handle: InteractionHandle) => text(await handle.waitForMessage(undefined, WAIT));
  const admin = (command: string, subcommand: string, options: Record<string, string | number | boolean> = {}) => answer(run(community().users.admin, command, subcommand, options));
  const posts = (channelId: string): APIMessage[] =>
    harness.standIn.messagesIn(channelId).map((stored) => stored.message).filter((message) => message.author.id === harness.standIn.botUserId && !message.interaction_metadata);
  const titles = (channelId: string) => posts(channelId).map((message) => message.embeds[0]?.title ?? message.content);
  const unsent = () => (db.prepare("SELECT count(*) AS n FROM outbox_posts WHERE status IN ('pending', 'sending')").get() as { n: number }).n;
  const messagePosts = (channelId: string): RecordedRequest[] =>
    harness.standIn.requests.filter((request) => request.method === 'POST' && request.path === `/channels/${channelId}/messages`);
  const scheduleNumber = (reply: string) => Number(/Schedule #(\d+) saved/.exec(reply)?.[1]);

  it('refuses members without Manage Server, even when Discord lets them invoke the command', async () => {
    const { standIn } = harness;
    const { guildId, roles, users } = community();
    standIn.allowCommandFor(guildId, 'schedule', roles.moderator);
    standIn.allowCommandFor(guildId, 'feed', roles.moderator);
    expect(await answer(run(users.moderator, 'schedule', 'list'))).toContain('Only server admins (Manage Server) can do this.');
    expect(await answer(run(users.moderator, 'feed', 'add', { url: feeds.url('/nothing') }))).toContain('Only server admins');
    // /action and /update: staff reach the handler, but only moderators may change anything.
    expect(await answer(run(users.member, 'action', 'list'))).toContain('Only moderators and the support team can do this.');
    expect(await answer(run(users.supporter, 'update', 'add', { title: 'T', summary: 'S', source: 'https://example.org' }))).toContain('Only moderators can do this.');
    expect(db.prepare('SELECT count(*) AS n FROM schedules').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM sourced_updates').get()).toEqual({ n: 0 });
  });

  it('validates cron expressions and time zones, autocompletes zones, previews five runs', async () => {
    expect(await admin('schedule', 'add', { job: 'advocacy', cron: '0 9 * *', channel: community().channels.advocacy })).toContain('has 4 fields');
    expect(await admin('schedule', 'add', { job: 'advocacy', cron: '0 25 * * *', channel: community().channels.advocacy })).toContain('is not a valid hour');
    expect(
      await admin('schedule', 'add', { job: 'advocacy', cron: '0 9 * * 1', channel: community().channels.advocacy, timezone: 'Mars/Olympus' }),
    ).toContain('is not a time zone I know');
    expect(db.prepare('SELECT count(*) AS n FROM schedules').get()).toEqual({ n: 0 });
    const preview = await admin('schedule', 'preview', { cron: '0 9 * * 1', timezone: 'Europe/Amsterdam' });
    expect(preview).toContain('Next runs of `0 9 * * 1` in Europe/Amsterdam');
    expect(preview.match(/<t:\d+:F>/g)).toHaveLength(5);
    expect(preview).toContain('09:00 (Europe/Amsterdam)');
    const complete = harness.standIn.autocomplete({
      guildId: community().guildId,
      channelId: community().channels.general,
      userId: community().users.admin,
      command: 'schedule',
      subcommand: 'preview',
      options: { cron: '0 9 * * 1', timezone: 'amster' },
      focused: 'timezone',
    });
    await complete.response();
    expect(complete.choices).toEqual([{ name: 'Europe/Amsterdam', value: 'Europe/Amsterdam' }]);
  });

  it('posts advocacy actions at their time, rotating the library; pause and resume take effect live', async () => {
    const channel = community().channels.advocacy;
    const added = await admin('schedule', 'add', { job: 'advocacy', cron: '* * * * * *', channel });
    expect(added).toContain('Schedule #1 saved: advocacy actions');
    expect(added).toContain('Heads-up: this runs more than once a minute (every 1 s)');
    await eventually(() => posts(channel).length >= 4, 'four advocacy posts');
    const first = posts(channel)[0]!;
    expect(first.embeds[0]!.title).toMatch(/^Take action: /);
    expect(first.embeds[1]!.title).toMatch(/^Actúa: /);
    expect(text(first.components)).toContain('"style":5');
    // The default library rotates: four posts, four different actions.
    expect(new Set(titles(channel).slice(0, 4)).size).toBe(4);

    expect(await admin('schedule', 'pause', { id: 1 })).toContain('Schedule #1 is paused');
    await eventually(() => unsent() === 0, 'outbox drained');
    const atPause = posts(channel).length;
    const runsAtPause = (db.prepare('SELECT count(*) AS n FROM scheduled_runs WHERE schedule_id = 1').get() as { n: number }).n;
    await sleep(2_500);
    expect(posts(channel)).toHaveLength(atPause);
    expect(db.prepare('SELECT count(*) AS n FROM scheduled_runs WHERE schedule_id = 1').get()).toEqual({ n: runsAtPause });
    expect(await admin('schedule', 'list')).toContain('paused');

    expect(await admin('schedule', 'resume', { id: 1 })).toContain('Schedule #1 is running again');
    await eventually(() => posts(channel).length > atPause, 'a post after resuming');
    await admin('schedule', 'pause', { id: 1 });
    await eventually(() => unsent() === 0, 'outbox drained');

    // Exactly once per run: one message per run, each message recorded against its post.
    const runs = db.prepare('SELECT count(*) AS n FROM scheduled_runs WHERE schedule_id = 1').get() as { n: number };
    const sent = db.prepare("SELECT message_id AS id FROM outbox_posts WHERE schedule_id = 1 AND status = 'sent'").all() as { id: string }[];
    expect(posts(channel)).toHaveLength(runs.n);
    expect(sent.map((row) => row.id).sort()).toEqual(posts(channel).map((message) => message.id).sort());
  });

  it('posts queued sourced updates and new RSS/Atom items once, each with its source', async () => {
    const { channels } = community();
    feeds.routes.set('/rss', servesWithEtag(() => rss(items('Rss', 10))));
    feeds.routes.set(
      '/atom',
      servesWithEtag(
        () =>
          atom([
            { id: 'urn:a1', title: 'Atom one', link: 'https://atom.example.org/1', updated: '2026-11-20T10:00:00Z' },
            { id: 'urn:a2', title: 'Atom two', link: 'https://atom.example.org/2', updated: '2026-11-21T10:00:00Z' },
          ]),
        'application/atom+xml',
      ),
    );
    feeds.routes.set('/page', (_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Not a feed</body></html>'));

    const rssReply = await admin('feed', 'add', { url: feeds.url('/rss') });
    expect(rssReply).toContain('Feed #1 added: Rights Watch');
    expect(rssReply).toContain('Newest items queued: 3. Older items recorded as already seen: 7.');
    expect(await admin('feed', 'add', { url: feeds.url('/atom'), channel: channels.general })).toContain('Feed #2 added: Atom Watch');
    expect(await admin('feed', 'add', { url: feeds.url('/page') })).toContain('is not an RSS or Atom feed');
    expect(await admin('feed', 'add', { url: feeds.url('/rss') })).toContain('already subscribed as #1');

    const moderator = community().users.moderator;
    expect(await answer(run(moderator, 'update', 'add', { title: 'Court ruling', summary: 'What it means.', source: 'http://example.org/x' }))).toContain(
      'not a valid https link',
    );
    const queued = await answer(
      run(moderator, 'update', 'add', { title: 'Court ruling', summary: 'What it means for asylum seekers.', source: 'https://apnews.com/ruling', source2: 'https://www.nbcnews.com/ruling' }),
    );
    expect(queued).toContain('Update #1 is queued: Court ruling');
    expect(queued).toContain('There is no updates schedule yet');

    expect(scheduleNumber(await admin('schedule', 'add', { job: 'updates', cron: '* * * * * *', channel: channels.updates }))).toBe(2);
    await eventually(() => posts(channels.updates).length >= 4 && titles(channels.general).includes('Atom two'), 'updates and feed items posted');
    // More runs happen, with nothing new: still exactly these posts.
    await sleep(2_000);
    await admin('schedule', 'pause', { id: 2 });
    await eventually(() => unsent() === 0, 'outbox drained');
    expect(titles(channels.updates).sort()).toEqual(['Court ruling', 'Rss 10', 'Rss 8', 'Rss 9']);
    expect(titles(channels.general).filter((title) => title?.startsWith('Atom'))).toEqual(['Atom one', 'Atom two']);
    const update = posts(channels.updates).find((message) => message.embeds[0]?.title === 'Court ruling')!;
    expect(text(update.embeds[0]!.fields)).toContain('[apnews.com](https://apnews.com/ruling)');
    expect(text(update.embeds[0]!.fields)).toContain('[nbcnews.com](https://www.nbcnews.com/ruling)');
    const item = posts(channels.updates).find((message) => message.embeds[0]?.title === 'Rss 9')!;
    expect(item.embeds[0]!.url).toBe('https://news.example.org/rss-9');

    // A digest schedule: everything queued since its last run, as one message.
    await answer(run(moderator, 'update', 'add', { title: 'First brief', summary: 'One.', source: 'https://example.org/one' }));
    await answer(run(moderator, 'update', 'add', { title: 'Second brief', summary: 'Two.', source: 'https://example.org/two' }));
    const before = posts(channels.updates).length;
    expect(await admin('schedule', 'add', { job: 'updates', cron: '* * * * * *', channel: channels.updates, digest: true })).toContain('as one digest message');
    await eventually(() => posts(channels.updates).length > before, 'a digest');
    await admin('schedule', 'pause', { id: 3 });
    await eventually(() => unsent() === 0, 'outbox drained');
    const digests = posts(channels.updates).slice(before);
    expect(digests).toHaveLength(1);
    expect(digests[0]!.embeds[0]!.title).toBe('News digest (2) · Resumen de noticias (2)');
    expect(digests[0]!.embeds[0]!.description).toContain('First brief');
    expect(digests[0]!.embeds[0]!.description).toContain('Second brief');
  });

  it('holds review-feed items in the mod log; only what a moderator approves is posted', async () => {
    const { channels, users, guildId } = community();
    feeds.routes.set('/review', servesWithEtag(() => rss(items('Review', 2), 'Review Wire')));
    expect(await admin('feed', 'add', { url: feeds.url('/review'), review: true })).toContain('Newest items waiting for approval in the mod log: 2.');
    const reviews = await eventually(() => {
      const found = posts(channels.modlog).filter((message) => message.content.includes('waiting for review'));
      return found.length === 2 && found;
    }, 'two review messages');
    const buttonId = (message: APIMessage, verb: string) =>
      text(message.components)
        .match(/"custom_id":"(v1:feed:[a-z]+:\d+)"/g)!
        .map((match) => match.slice(13, -1))
        .find((id) => id.includes(`:${verb}:`))!;
    const click = (userId: string, message: APIMessage, verb: string) =>
      harness.standIn.clickButton({ guildId, channelId: channels.modlog, userId, messageId: message.id, customId: buttonId(message, verb) });

    // A support volunteer (staff, not a moderator) cannot decide.
    expect(await answer(click(users.supporter, reviews[0]!, 'approve'))).toContain('Only moderators can do this.');
    await click(users.moderator, reviews[0]!, 'approve').response();
    await click(users.moderator, reviews[1]!, 'reject').response();
    const decided = await eventually(() => {
      const current = reviews.map((review) => harness.standIn.message(review.id)!.message);
      return current.every((message) => message.components?.length === 0) && current;
    }, 'review messages updated');
    expect(decided[0]!.content).toContain(`Approved by <@${users.moderator}>`);
    expect(decided[1]!.content).toContain(`Rejected by <@${users.moderator}>`);

    const before = posts(channels.updates).length;
    expect(await admin('schedule', 'run', { id: 2 })).toContain('Schedule #2 ran now: 1 post on its way');
    await eventually(() => posts(channels.updates).length > before, 'the approved item');
    await eventually(() => unsent() === 0, 'outbox drained');
    expect(titles(channels.updates).slice(before)).toHaveLength(1);
    expect(titles(channels.updates).filter((title) => title?.startsWith('Review'))).toHaveLength(1);
  });

  it('a 500 then success yields exactly one post, re-sent with the same nonce', async () => {
    const channel = community().channels.advocacy;
    const before = posts(channel).length;
    const requestsBefore = messagePosts(channel).length;
    harness.standIn.failNext({ method: 'POST', path: new RegExp(`^/channels/${channel}/messages$`), status: 500 });
    expect(await admin('schedule', 'run', { id: 1 })).toContain('Schedule #1 ran now: 1 post on its way');
    await eventually(() => posts(channel).length > before, 'the post');
    await eventually(() => unsent() === 0, 'outbox drained');
    expect(posts(channel)).toHaveLength(before + 1);
    const attempts = messagePosts(channel).slice(requestsBefore);
    expect(attempts.map((request) => request.status)).toEqual([500, 200]);
    const nonces = attempts.map((request) => (request.body as { nonce?: string; enforce_nonce?: boolean }).nonce);
    expect(new Set(nonces).size).toBe(1);
    expect((attempts[0]!.body as { enforce_nonce?: boolean }).enforce_nonce).toBe(true);
  });

  it('a 5xx that outlasts discord.js retries is retried by the outbox, and still posts once', async () => {
    const channel = community().channels.advocacy;
    const before = posts(channel).length;
    const requestsBefore = messagePosts(channel).length;
    harness.standIn.failNext({ method: 'POST', path: new RegExp(`^/channels/${channel}/messages$`), status: 502, times: 4 });
    await admin('schedule', 'run', { id: 1 });
    await eventually(() => posts(channel).length > before, 'the post after the outbox retry', 20_000);
    await eventually(() => unsent() === 0, 'outbox drained');
    expect(posts(channel)).toHaveLength(before + 1);
    expect(messagePosts(channel).slice(requestsBefore).map((request) => request.status)).toEqual([502, 502, 502, 502, 200]);
    const row = db.prepare('SELECT status, attempts FROM outbox_posts ORDER BY id DESC LIMIT 1').get();
    expect(row).toEqual({ status: 'sent', attempts: 2 });
  });

  it('a 429 is honoured: the retry waits for retry_after, and one post results', async () => {
    const channel = community().channels.advocacy;
    const before = posts(channel).length;
    const requestsBefore = messagePosts(channel).length;
    harness.standIn.failNext({ method: 'POST', path: new RegExp(`^/channels/${channel}/messages$`), status: 429, retryAfter: 1 });
    await admin('schedule', 'run', { id: 1 });
    await eventually(() => posts(channel).length > before, 'the post after the rate limit');
    await eventually(() => unsent() === 0, 'outbox drained');
    expect(posts(channel)).toHaveLength(before + 1);
    const [limited, accepted] = messagePosts(channel).slice(requestsBefore);
    expect(limited?.status).toBe(429);
    expect(accepted?.status).toBe(200);
    expect((accepted?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('removes a schedule live, warns about a channel the bot cannot post in, and never logged an error', async () => {
    expect(await admin('schedule', 'remove', { id: 1 })).toContain('Schedule #1 is removed');
    expect(await admin('schedule', 'list')).not.toContain('**#1**');
    const { guildId } = community();
    const locked = harness.standIn.createChannel(guildId, {
      name: 'locked',
      permissionOverwrites: [{ id: harness.standIn.botRoleId(guildId), type: 'role', deny: PermissionFlagsBits.SendMessages }],
    });
    const warned = await admin('schedule', 'add', { job: 'advocacy', cron: '0 9 * * 1', channel: locked });
    expect(warned).toContain('Schedule #4 saved');
    expect(warned).toContain('the bot cannot post in');
    expect(warned).toContain('Send Messages');
    expect(harness.bot.errors()).toEqual([]);
    expect(harness.standIn.internalErrors).toEqual([]);
  });
});

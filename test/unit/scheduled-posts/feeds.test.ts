import { gzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { feedItems, feeds as feedsTable } from '../../../src/db/schema/index.js';
import { isPrivateAddress } from '../../../src/domain/feeds/address-policy.js';
import { FeedFetcher, FeedFetchError } from '../../../src/domain/feeds/fetcher.js';
import { parsePayload } from '../../../src/domain/posts/outbox.js';
import type { Handler } from '../../support/feed-server.js';
import { eventually } from '../../support/eventually.js';
import { ADMIN, CHANNEL, GUILD, MODERATOR, MODLOG, atom, FeedServer, rss, servesWithEtag, world, type RssItem } from './support.js';

const server = new FeedServer();
beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => {
  server.routes.clear();
  server.requests.length = 0;
});

const day = (n: number) => new Date(Date.UTC(2026, 10, n, 10)).toUTCString();
const items = (count: number): RssItem[] =>
  Array.from({ length: count }, (_, i) => ({ title: `Story ${i + 1}`, link: `https://news.example.org/${i + 1}`, guid: `story-${i + 1}`, date: day(i + 1) }));

function setupUpdates(w: ReturnType<typeof world>, digest = false) {
  w.schedules.add({ guildId: GUILD, job: 'updates', cron: '0 9 * * *', channelId: CHANNEL, createdBy: ADMIN, digest });
}

async function postedTitles(w: ReturnType<typeof world>): Promise<string[]> {
  const { outcome } = await w.postRuns.runNow(GUILD, 1);
  if (!outcome.runId) return [];
  return w.outbox.forRun(outcome.runId).map((post) => parsePayload(post).embeds![0]!.title!);
}

describe('feeds: dedup and first fetch', () => {
  it('posts only the newest few on the first fetch and records the rest as seen', async () => {
    const w = world();
    server.routes.set('/rss', servesWithEtag(() => rss(items(10))));
    const { feed, summary } = await w.feeds.subscribe({ guildId: GUILD, url: server.url('/rss'), createdBy: ADMIN });
    expect(feed.title).toBe('Rights Watch');
    expect(summary).toEqual({ queued: 3, review: 0, seen: 7, filtered: 0 });
    setupUpdates(w);
    // Oldest of the three first, so the channel reads in order.
    expect(await postedTitles(w)).toEqual(['Story 8', 'Story 9', 'Story 10']);
    expect(await postedTitles(w)).toEqual([]);
  });

  it('never posts an item twice: same feed again, reordered, or re-published with new dates', async () => {
    const w = world();
    let current = items(4);
    server.routes.set('/rss', (_request, response) => response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(current)));
    const { feed } = await w.feeds.subscribe({ guildId: GUILD, url: server.url('/rss'), createdBy: ADMIN });
    setupUpdates(w);
    expect(await postedTitles(w)).toEqual(['Story 2', 'Story 3', 'Story 4']);
    const fresh = () => w.db.select().from(feedsTable).where(eq(feedsTable.id, feed.id)).get()!;
    expect(await w.feeds.refresh(fresh())).toMatchObject({ status: 'updated', queued: 0, seen: 0 });
    current = [...current].reverse();
    expect(await w.feeds.refresh(fresh())).toMatchObject({ status: 'updated', queued: 0, seen: 0 });
    current = current.map((item) => ({ ...item, date: day(20) }));
    expect(await w.feeds.refresh(fresh())).toMatchObject({ queued: 0 });
    current = [{ title: 'Story 5', link: 'https://news.example.org/5', guid: 'story-5', date: day(21) }, ...current];
    expect(await w.feeds.refresh(fresh())).toMatchObject({ status: 'updated', queued: 1 });
    expect(await postedTitles(w)).toEqual(['Story 5']);
    expect(await postedTitles(w)).toEqual([]);
  });

  it('keys an item without a guid by its link', async () => {
    const w = world();
    let current: RssItem[] = [{ title: 'No guid', link: 'https://news.example.org/no-guid' }];
    server.routes.set('/rss', (_request, response) => response.writeHead(200).end(rss(current)));
    const { feed } = await w.feeds.subscribe({ guildId: GUILD, url: server.url('/rss'), createdBy: ADMIN });
    const [row] = w.db.select().from(feedItems).where(eq(feedItems.feedId, feed.id)).all();
    expect(row!.itemKey).toBe('https://news.example.org/no-guid');
    current = [{ title: 'No guid, title edited', link: 'https://news.example.org/no-guid' }];
    expect(await w.feeds.refresh(feed)).toMatchObject({ queued: 0, seen: 0 });
    expect(w.db.select().from(feedItems).all()).toHaveLength(1);
  });

  it('survives a restart: dedup lives in the database, not in memory', async () => {
    const w = world();
    server.routes.set('/atom', (_request, response) =>
      response.writeHead(200, { 'content-type': 'application/atom+xml' }).end(
        atom([
          { id: 'urn:a', title: 'Atom A', link: 'https://atom.example.org/a', updated: '2026-11-20T10:00:00Z' },
          { id: 'urn:b', title: 'Atom B', link: 'https://atom.example.org/b', updated: '2026-11-21T10:00:00Z' },
        ]),
      ),
    );
    const { feed } = await w.feeds.subscribe({ guildId: GUILD, url: server.url('/atom'), createdBy: ADMIN });
    expect(feed.title).toBe('Atom Watch');
    setupUpdates(w);
    expect(await postedTitles(w)).toEqual(['Atom A', 'Atom B']);
    // A "restarted" bot: new services on the same database.
    const { FeedService } = await import('../../../src/domain/feeds/feed-service.js');
    const { createLogger } = await import('../../../src/logger.js');
    const reborn = new FeedService(w.db, w.clock, createLogger('silent'), new FeedFetcher({ allowPrivateHosts: true }), w.settings, w.outbox);
    w.clock.advance(60_000);
    expect(await reborn.refreshDue({ olderThanMs: 0 })).toEqual([expect.objectContaining({ status: 'updated', queued: 0 })]);
    expect(await postedTitles(w)).toEqual([]);
  });

  it('sends conditional requests and treats 304 as nothing new', async () => {
    const w = world();
    server.routes.set('/rss', servesWithEtag(() => rss(items(2))));
    const { feed } = await w.feeds.subscribe({ guildId: GUILD, url: server.url('/rss'), createdBy: ADMIN });
    expect(feed.etag).toMatch(/^".+"$/);
    expect(await w.feeds.refresh(feed)).toMatchObject({ status: 'not-modified' });
    expect(server.requests.at(-1)!.headers['if-none-match']).toBe(feed.etag);
  });

  it('filters by include and exclude keywords, accent-insensitive', async () => {
    const w = world();
    server.routes.set('/rss', (_request, response) =>
      response.writeHead(200).end(
        rss([
          { title: 'Asylum ruling in Spain', link: 'https://n.example.org/1', guid: '1' },
          { title: 'Política de asilo: cambios', link: 'https://n.example.org/2', guid: '2' },
          { title: 'Football results', link: 'https://n.example.org/3', guid: '3' },
          { title: 'Asylum: opinion column', link: 'https://n.example.org/4', guid: '4' },
        ]),
      ),
    );
    const { summary } = await w.feeds.subscribe({ guildId: GUILD, url: server.url('/rss'), include: 'asylum, ASILO', exclude: 'opinión', createdBy: ADMIN });
    expect(summary).toMatchObject({ queued: 2, filtered: 2 });
    setupUpdates(w);
    expect((await postedTitles(w)).sort()).toEqual(['Asylum ruling in Spain', 'Política de asilo: cambios']);
  });

  it('posts the same article from two feeds once', async () => {
    const w = world();
    server.routes.set('/one', (_request, response) => response.writeHead(200).end(rss([{ title: 'Shared', link: 'https://n.example.org/shared', guid: 'one-1' }])));
    server.routes.set('/two', (_request, response) => response.writeHead(200).end(rss([{ title: 'Shared again', link: 'https://n.example.org/shared', guid: 'two-1' }])));
    await w.feeds.subscribe({ guildId: GUILD, url: server.url('/one'), createdBy: ADMIN });
    const second = await w.feeds.subscribe({ guildId: GUILD, url: server.url('/two'), createdBy: ADMIN });
    expect(second.summary).toMatchObject({ queued: 0, seen: 1 });
  });

  it('holds items of a review feed in the mod log until approved', async () => {
    const w = world();
    server.routes.set('/rss', (_request, response) => response.writeHead(200).end(rss(items(2))));
    await expect(w.feeds.subscribe({ guildId: GUILD, url: server.url('/rss'), review: true, createdBy: ADMIN })).rejects.toMatchObject({
      code: 'posts.errors.noModlog',
    });
    w.settings.setChannels(GUILD, { modlogChannelId: MODLOG });
    const { summary } = await w.feeds.subscribe({ guildId: GUILD, url: server.url('/rss'), review: true, createdBy: ADMIN });
    expect(summary).toMatchObject({ review: 2, queued: 0 });
    const reviews = [w.outbox.claimNext()!, w.outbox.claimNext()!];
    expect(reviews.every((post) => post.kind === 'review' && post.channelId === MODLOG)).toBe(true);
    setupUpdates(w);
    expect(await postedTitles(w)).toEqual([]);
    w.feeds.decide(GUILD, reviews[0]!.refId!, 'approve', MODERATOR);
    w.feeds.decide(GUILD, reviews[1]!.refId!, 'reject', MODERATOR);
    expect(() => w.feeds.decide(GUILD, reviews[0]!.refId!, 'approve', MODERATOR)).toThrow(expect.objectContaining({ code: 'posts.errors.alreadyDecided' }));
    expect(await postedTitles(w)).toHaveLength(1);
  });

  it('never re-posts the items of a feed that is removed and added again', async () => {
    const w = world();
    server.routes.set('/rss', (_request, response) => response.writeHead(200).end(rss(items(3))));
    await w.feeds.subscribe({ guildId: GUILD, url: server.url('/rss'), createdBy: ADMIN });
    setupUpdates(w);
    expect(await postedTitles(w)).toHaveLength(3);
    w.feeds.remove(GUILD, 1);
    const again = await w.feeds.subscribe({ guildId: GUILD, url: server.url('/rss'), createdBy: ADMIN });
    expect(again).toMatchObject({ revived: true, summary: { queued: 0 } });
    expect(again.feed.number).toBe(1);
    expect(await postedTitles(w)).toEqual([]);
  });
});

describe('feeds: broken sources', () => {
  it('reports a broken, huge, slow or non-feed URL to the admin and stores nothing', async () => {
    const w = world({ fetcher: { timeoutMs: 300, maxBytes: 50_000 } });
    server.routes.set('/html', (_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Hello</body></html>'));
    server.routes.set('/error', (_request, response) => response.writeHead(500).end());
    server.routes.set('/huge', (_request, response) => response.writeHead(200).end(rss(items(1)).replace('News', 'x'.repeat(80_000))));
    server.routes.set('/bomb', (_request, response) =>
      response.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(Buffer.from(`<rss>${' '.repeat(5_000_000)}</rss>`))),
    );
    server.routes.set('/slow', () => undefined);
    const cases: [string, string][] = [
      ['/html', 'feed.fetchErrors.notAFeed'],
      ['/error', 'feed.fetchErrors.httpStatus'],
      ['/missing', 'feed.fetchErrors.httpStatus'],
      ['/huge', 'feed.fetchErrors.tooLarge'],
      ['/bomb', 'feed.fetchErrors.tooLarge'],
      ['/slow', 'feed.fetchErrors.timeout'],
    ];
    for (const [path, code] of cases) {
      await expect(w.feeds.subscribe({ guildId: GUILD, url: server.url(path), createdBy: ADMIN }), path).rejects.toMatchObject({ code });
    }
    await expect(w.feeds.subscribe({ guildId: GUILD, url: 'ftp://example.org/feed', createdBy: ADMIN })).rejects.toMatchObject({ code: 'feed.fetchErrors.invalidUrl' });
    expect(w.feeds.list(GUILD)).toEqual([]);
  });

  it('counts failures, keeps other feeds going, and turns a failing feed off with a notice in the mod log', async () => {
    const w = world();
    w.settings.setChannels(GUILD, { modlogChannelId: MODLOG });
    let broken = false;
    server.routes.set('/flaky', (_request, response) => (broken ? response.writeHead(503).end() : response.writeHead(200).end(rss(items(1)))));
    let healthy = items(1);
    server.routes.set('/healthy', (_request, response) => response.writeHead(200).end(rss(healthy)));
    await w.feeds.subscribe({ guildId: GUILD, url: server.url('/flaky'), createdBy: ADMIN });
    await w.feeds.subscribe({ guildId: GUILD, url: server.url('/healthy'), createdBy: ADMIN });
    broken = true;
    for (let attempt = 1; attempt <= 4; attempt++) {
      healthy = [...healthy, { title: `Fresh ${attempt}`, link: `https://h.example.org/${attempt}`, guid: `fresh-${attempt}` }];
      w.clock.advance(60_000);
      const outcomes = await w.feeds.refreshDue({ guildId: GUILD, olderThanMs: 0 });
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['failed', 'updated']);
    }
    expect(w.feeds.list(GUILD)[0]).toMatchObject({ enabled: true, consecutiveFailures: 4, lastError: 'http-status' });
    w.clock.advance(60_000);
    const fifth = await w.feeds.refreshDue({ guildId: GUILD, olderThanMs: 0 });
    expect(fifth.find((outcome) => outcome.status !== 'updated')).toMatchObject({ status: 'disabled', failure: 'http-status' });
    expect(w.feeds.list(GUILD)[0]).toMatchObject({ enabled: false, disabledReason: 'http-status' });
    const notice = w.outbox.claimNext()!;
    expect(notice).toMatchObject({ kind: 'notice', channelId: MODLOG });
    expect(JSON.stringify(parsePayload(notice))).toContain('failed 5 times in a row');
    // A disabled feed is not fetched any more; the healthy one still is.
    const before = server.requests.filter((request) => request.path === '/flaky').length;
    w.clock.advance(60_000);
    await w.feeds.refreshDue({ guildId: GUILD, olderThanMs: 0 });
    expect(server.requests.filter((request) => request.path === '/flaky').length).toBe(before);
    setupUpdates(w);
    expect((await postedTitles(w)).filter((title) => title.startsWith('Fresh'))).toHaveLength(4);
  });
});

describe('feeds: only public hosts', () => {
  const publicOnly = new FeedFetcher({ allowPrivateHosts: false });
  const refuses = async (fetcher: FeedFetcher, url: string) => {
    const error = await fetcher.fetch(url).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error, url).toBeInstanceOf(FeedFetchError);
    return (error as FeedFetchError).code;
  };

  it('refuses loopback, private, link-local and local names, and non-http schemes', async () => {
    for (const url of [
      server.url('/rss'),
      'http://localhost:80/feed',
      'http://feeds.localhost/',
      'http://[::1]/feed',
      'http://10.0.0.8/feed',
      'http://192.168.1.1/feed',
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:127.0.0.1]/feed',
      'http://0.0.0.0/',
    ]) {
      expect(await refuses(publicOnly, url)).toBe('private-host');
    }
    for (const url of ['file:///etc/passwd', 'ftp://example.org/feed', 'https://user:secret@example.org/feed', 'not a url']) {
      expect(await refuses(publicOnly, url)).toBe('invalid-url');
    }
    expect(server.requests).toEqual([]);
  });

  it('refuses a public-looking name that resolves to a private address (checked at connect time)', async () => {
    const fetcher = new FeedFetcher({
      allowPrivateHosts: false,
      resolve: (_hostname, _family, done) => done(null, [{ address: '127.0.0.1', family: 4 }]),
    });
    expect(await refuses(fetcher, `http://news.example.org:${server.port}/rss`)).toBe('private-host');
    expect(server.requests).toEqual([]);
  });

  it('refuses a redirect to a private address', async () => {
    // The test server stands for a public host; everything else that is private stays refused.
    const fetcher = new FeedFetcher({
      allowPrivateHosts: false,
      isBlockedAddress: (address) => address !== '127.0.0.1',
      resolve: (hostname, _family, done) =>
        done(null, [{ address: hostname === 'public.example.org' ? '127.0.0.1' : '10.1.2.3', family: 4 }]),
    });
    server.routes.set('/ok', (_request, response) => response.writeHead(200).end(rss(items(1))));
    server.routes.set('/to-ip', (_request, response) => response.writeHead(302, { location: 'http://127.0.0.2/admin' }).end());
    server.routes.set('/to-name', (_request, response) => response.writeHead(301, { location: 'http://intranet.example.org/feed' }).end());
    server.routes.set('/relative', (_request, response) => response.writeHead(302, { location: '/ok' }).end());
    const base = `http://public.example.org:${server.port}`;
    expect((await fetcher.fetch(`${base}/ok`)).status).toBe('ok');
    expect((await fetcher.fetch(`${base}/relative`)).status).toBe('ok');
    expect(await refuses(fetcher, `${base}/to-ip`)).toBe('private-host');
    expect(await refuses(fetcher, `${base}/to-name`)).toBe('private-host');
  });
});

describe('feeds: hostile sources are bounded', () => {
  /** A response that never ends: one chunk every few ms until the client goes away. */
  const endless = (status: number, headers: Record<string, string> = {}) => {
    const closed = { value: false };
    const handler: Handler = (request, response) => {
      response.writeHead(status, headers);
      const timer = setInterval(() => response.write('x'.repeat(1024)), 5);
      request.socket.on('close', () => {
        clearInterval(timer);
        closed.value = true;
      });
    };
    return { handler, closed };
  };

  it.each([
    [500, {}],
    [302, { location: '/elsewhere' }],
  ] as const)('destroys the endless body of an HTTP %i instead of draining it', async (status, headers) => {
    const w = world({ fetcher: { maxRedirects: 0 } });
    const { handler, closed } = endless(status, headers);
    server.routes.set('/endless', handler);
    await expect(w.feeds.subscribe({ guildId: GUILD, url: server.url('/endless'), createdBy: ADMIN })).rejects.toMatchObject({
      code: status === 500 ? 'feed.fetchErrors.httpStatus' : 'feed.fetchErrors.tooManyRedirects',
    });
    // resume() kept reading for ever; destroy() closes the connection at once.
    await eventually(() => closed.value, 'the client to close the connection', 5_000);
  });

  it('makes a malformed Location a localized, counted failure that disables the feed like any other', async () => {
    const w = world();
    w.settings.setChannels(GUILD, { modlogChannelId: MODLOG });
    server.routes.set('/bad-redirect', (_request, response) => response.writeHead(302, { location: 'http://[::1' }).end());
    await expect(w.feeds.subscribe({ guildId: GUILD, url: server.url('/bad-redirect'), createdBy: ADMIN })).rejects.toMatchObject({
      code: 'feed.fetchErrors.badRedirect',
    });
    let broken = false;
    server.routes.set('/moves', (request, response) =>
      broken ? server.routes.get('/bad-redirect')!(request, response) : response.writeHead(200).end(rss(items(1))),
    );
    await w.feeds.subscribe({ guildId: GUILD, url: server.url('/moves'), createdBy: ADMIN });
    broken = true;
    const statuses: string[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      w.clock.advance(60_000);
      const [outcome] = await w.feeds.refreshDue({ guildId: GUILD, olderThanMs: 0 });
      expect(outcome).toMatchObject({ failure: 'bad-redirect' });
      statuses.push(outcome!.status);
    }
    expect(statuses).toEqual(['failed', 'failed', 'failed', 'failed', 'disabled']);
    expect(w.feeds.list(GUILD)[0]).toMatchObject({ enabled: false, disabledReason: 'bad-redirect' });
    expect(JSON.stringify(parsePayload(w.outbox.claimNext()!))).toContain('redirects to an address that is not a valid link');
  });

  it('allows only public unicast addresses, IPv4 inside IPv6 included', () => {
    for (const address of [
      '127.0.0.1', '10.1.2.3', '100.64.0.1', '169.254.169.254', '192.0.0.8', '198.18.0.1', '224.0.0.1', '255.255.255.255', '0.0.0.0',
      '::', '::1', '::7f00:1', '::127.0.0.1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:0:7f00:1',
      '64:ff9b::7f00:1', '64:ff9b::808:808', '64:ff9b:1::1', '2001::1', '2001:0:4136:e378:8000:63bf:3fff:fdd2', '2002:7f00:1::1',
      '2001:db8::1', '3fff::1', 'fc00::1', 'fd12::1', 'fe80::1%eth0', 'fec0::1', 'ff02::1', '100::1', '[::1]', 'not-an-ip', '0x7f.1',
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['8.8.8.8', '1.1.1.1', '93.184.216.34', '::ffff:8.8.8.8', '2606:4700:4700::1111', '[2a00:1450:4001:82b::200e]']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it('escapes feed titles, summaries and links in single posts and digests; decodes every HTML entity', async () => {
    const crafted: RssItem[] = [
      {
        title: 'Caf&amp;eacute; &amp;rsquo;news&amp;hellip; *bold* @everyone',
        link: 'https://news.example.org/a)[Second](https://evil.example/b',
        guid: 'crafted-1',
        description: '<![CDATA[Read it at [Official](https://phish.example/login) &hellip; <b>now</b> &eacute;]]>',
      },
    ];
    server.routes.set('/crafted', (_request, response) => response.writeHead(200).end(rss(crafted)));
    const single = world();
    await single.feeds.subscribe({ guildId: GUILD, url: server.url('/crafted'), createdBy: ADMIN });
    setupUpdates(single);
    const { outcome } = await single.postRuns.runNow(GUILD, 1);
    const embed = parsePayload(single.outbox.forRun(outcome.runId!)[0]!).embeds![0]!;
    expect(embed.title).toBe('Café ’news… \\*bold\\* @\u200beveryone');
    expect(embed.description).toBe('Read it at \\[Official\\](https://phish.example/login) … now é');
    expect(embed.url).toBe('https://news.example.org/a%29%5BSecond%5D%28https://evil.example/b');

    const digest = world();
    await digest.feeds.subscribe({ guildId: GUILD, url: server.url('/crafted'), createdBy: ADMIN });
    setupUpdates(digest, true);
    const run = await digest.postRuns.runNow(GUILD, 1);
    const text = parsePayload(digest.outbox.forRun(run.outcome.runId!)[0]!).embeds![0]!.description!;
    // Exactly two masked links, both ours (the title and the source), each ending where it should.
    const links = [...text.matchAll(/(?<!\\)\[[^\]]*\]\(([^)]*)\)/g)].map((match) => match[1]);
    expect(links).toEqual([
      'https://news.example.org/a%29%5BSecond%5D%28https://evil.example/b',
      'https://news.example.org/a%29%5BSecond%5D%28https://evil.example/b',
    ]);
    expect(text).toContain('\\[Official\\](https://phish.example/login)');
    expect(text).toContain('Café ’news…');
  });
});

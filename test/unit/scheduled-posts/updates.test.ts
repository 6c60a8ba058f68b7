import { describe, expect, it } from 'vitest';
import { parsePayload } from '../../../src/domain/posts/outbox.js';
import { ADMIN, CHANNEL, GUILD, MODERATOR, MODLOG, world } from './support.js';

const update = (title: string, sources: (string | null)[] = ['https://apnews.com/story']) => ({
  guildId: GUILD,
  title,
  summary: `What happened: ${title}.`,
  sources,
  createdBy: MODERATOR,
});

describe('sourced updates', () => {
  it('needs at least one https source and shows every source with the post', async () => {
    const w = world();
    expect(() => w.updates.add(update('No source', [null, '  ']))).toThrow(expect.objectContaining({ code: 'update.errors.noSource' }));
    expect(() => w.updates.add(update('Plain http', ['http://example.org/a']))).toThrow(expect.objectContaining({ code: 'errors.invalidHttpsUrl' }));
    expect(w.updates.list(GUILD)).toEqual([]);
    const added = w.updates.add(update('Court ruling', ['https://www.supremecourt.gov/opinions/24pdf/25a169_5h25.pdf', 'https://apnews.com/x', null]));
    expect(added.status).toBe('queued');
    w.schedules.add({ guildId: GUILD, job: 'updates', cron: '0 9 * * *', channelId: CHANNEL, createdBy: ADMIN });
    const { outcome } = await w.postRuns.runNow(GUILD, 1);
    expect(outcome.posts).toBe(1);
    const post = parsePayload(w.outbox.forRun(outcome.runId!)[0]!);
    const sources = post.embeds![0]!.fields!.find((field) => field.name.startsWith('Sources'))!.value;
    expect(sources).toBe('[supremecourt.gov](https://www.supremecourt.gov/opinions/24pdf/25a169_5h25.pdf)\n[apnews.com](https://apnews.com/x)');
    // Posted once: the next run has nothing left.
    expect((await w.postRuns.runNow(GUILD, 1)).outcome).toMatchObject({ posts: 0, reason: 'nothingQueued' });
    expect(w.updates.get(GUILD, added.number).status).toBe('posted');
  });

  it('holds updates for review in the mod log when the guild turns it on; only approved ones are posted', async () => {
    const w = world();
    expect(() => w.updates.setReview(GUILD, true)).toThrow(expect.objectContaining({ code: 'posts.errors.noModlog' }));
    w.settings.setChannels(GUILD, { modlogChannelId: MODLOG });
    w.updates.setReview(GUILD, true);
    const kept = w.updates.add(update('Approve me'));
    const dropped = w.updates.add(update('Reject me'));
    expect([kept.status, dropped.status]).toEqual(['review', 'review']);
    const reviews = [w.outbox.claimNext()!, w.outbox.claimNext()!];
    expect(reviews.map((post) => [post.kind, post.channelId, post.refId])).toEqual([
      ['review', MODLOG, kept.id],
      ['review', MODLOG, dropped.id],
    ]);
    expect(parsePayload(reviews[0]!).buttons![0]!.map((button) => button.kind === 'action' && `${button.namespace}:${button.verb}:${button.args.join()}`)).toEqual([
      'update:approve:1',
      'update:reject:1',
    ]);
    w.schedules.add({ guildId: GUILD, job: 'updates', cron: '0 9 * * *', channelId: CHANNEL, createdBy: ADMIN });
    expect((await w.postRuns.runNow(GUILD, 1)).outcome.posts).toBe(0);
    w.updates.decide(GUILD, kept.number, 'approve', MODERATOR);
    w.updates.decide(GUILD, dropped.number, 'reject', MODERATOR);
    // A second click (another moderator) is told it is already decided.
    expect(() => w.updates.decide(GUILD, kept.number, 'reject', ADMIN)).toThrow(expect.objectContaining({ code: 'posts.errors.alreadyDecided' }));
    const { outcome } = await w.postRuns.runNow(GUILD, 1);
    expect(outcome.posts).toBe(1);
    expect(JSON.stringify(parsePayload(w.outbox.forRun(outcome.runId!)[0]!))).toContain('Approve me');
  });

  it('withdraws a queued update, not a posted one', async () => {
    const w = world();
    const first = w.updates.add(update('Withdraw me'));
    const second = w.updates.add(update('Post me'));
    expect(w.updates.remove(GUILD, first.number).status).toBe('removed');
    w.schedules.add({ guildId: GUILD, job: 'updates', cron: '0 9 * * *', channelId: CHANNEL, createdBy: ADMIN });
    expect((await w.postRuns.runNow(GUILD, 1)).outcome.posts).toBe(1);
    expect(() => w.updates.remove(GUILD, second.number)).toThrow(expect.objectContaining({ code: 'update.errors.notRemovable' }));
  });

  it('a digest posts everything queued since the last run as one message', async () => {
    const w = world();
    for (let i = 1; i <= 6; i++) w.updates.add(update(`Story ${i}`, [`https://example.org/story-${i}`]));
    w.schedules.add({ guildId: GUILD, job: 'updates', cron: '0 9 * * *', channelId: CHANNEL, createdBy: ADMIN, digest: true });
    const { outcome } = await w.postRuns.runNow(GUILD, 1);
    expect(outcome.posts).toBe(1);
    const digest = parsePayload(w.outbox.forRun(outcome.runId!)[0]!);
    expect(digest.embeds![0]!.title).toBe('News digest (6) · Resumen de noticias (6)');
    for (let i = 1; i <= 6; i++) expect(digest.embeds![0]!.description).toContain(`Story ${i}`);
    w.updates.add(update('Story 7'));
    const next = await w.postRuns.runNow(GUILD, 1);
    const text = JSON.stringify(parsePayload(w.outbox.forRun(next.outcome.runId!)[0]!));
    expect(text).toContain('Story 7');
    expect(text).not.toContain('Story 6');
  });

  it('splits a long digest within Discord limits, losing nothing', async () => {
    const w = world();
    const long = 'x'.repeat(1400);
    for (let i = 1; i <= 9; i++) w.updates.add({ ...update(`Long ${i}`), summary: `${long} ${i}` });
    w.schedules.add({ guildId: GUILD, job: 'updates', cron: '0 9 * * *', channelId: CHANNEL, createdBy: ADMIN, digest: true });
    const { outcome } = await w.postRuns.runNow(GUILD, 1);
    const posts = w.outbox.forRun(outcome.runId!).map(parsePayload);
    expect(posts.length).toBeGreaterThan(1);
    const all = posts.map((post) => post.embeds![0]!.description!).join('\n');
    for (let i = 1; i <= 9; i++) expect(all).toContain(`Long ${i}**`);
    for (const post of posts) {
      expect(post.embeds![0]!.description!.length).toBeLessThanOrEqual(4096);
      expect(post.embeds![0]!.title).toMatch(/part \d of \d/);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { TableDigestSource } from '../../../src/domain/posts/team-digest.js';
import { DAY } from '../../support/test-db.js';
import { ADMIN, CHANNEL, GUILD, OTHER_GUILD, world } from './support.js';

describe('support and task digests from the features tables', () => {
  it('counts support requests and lists the open ones by neutral number and thread, never by person', async () => {
    const w = world({});
    const now = w.clock.now();
    const insert = w.db.$client.prepare(
      `INSERT INTO support_requests (guild_id, number, requester_id, thread_id, topic, language, urgent, status, created_at, updated_at, first_staff_reply_at, closed_at)
       VALUES (?, ?, ?, ?, 'asylum', 'en', ?, ?, ?, ?, ?, ?)`,
    );
    insert.run(GUILD, 1, '500000000000000001', '600000000000000001', 0, 'open', now - 3 * DAY, now, null, null);
    insert.run(GUILD, 2, '500000000000000002', '600000000000000002', 1, 'open', now - DAY, now, now - DAY / 2, null);
    insert.run(GUILD, 3, '500000000000000003', '600000000000000003', 0, 'waiting', now - 2 * DAY, now, now - DAY, null);
    insert.run(GUILD, 4, '500000000000000004', '600000000000000004', 0, 'closed', now - 5 * DAY, now, now - 4 * DAY, now - DAY);
    insert.run(OTHER_GUILD, 1, '500000000000000005', '600000000000000005', 1, 'open', now, now, null, null);
    const digest = new TableDigestSource(w.db).support(GUILD, now)!;
    expect(digest).toEqual({
      open: 2,
      waiting: 1,
      urgent: 1,
      unanswered: 1,
      closedLast7Days: 1,
      oldest: [
        { number: 2, threadId: '600000000000000002' },
        { number: 1, threadId: '600000000000000001' },
        { number: 3, threadId: '600000000000000003' },
      ],
    });
    w.schedules.add({ guildId: GUILD, job: 'support-digest', cron: '0 9 * * *', channelId: CHANNEL, createdBy: ADMIN });
    const { outcome } = await w.postRuns.runNow(GUILD, 1);
    const payload = w.outbox.forRun(outcome.runId!)[0]!.payload;
    expect(payload).toContain('support-0002 · <#600000000000000002>');
    expect(payload).not.toContain('500000000000000001');
    expect(payload).toContain('Support requests');
    expect(payload).toContain('closed in the last 7 days');
    expect(payload).not.toContain('posts.teamDigest');
  });

  it('counts volunteer tasks, overdue included', async () => {
    const w = world({});
    const now = w.clock.now();
    const insert = w.db.$client.prepare(
      `INSERT INTO tasks (guild_id, number, title, description, skill, status, origin, due_at, done_at, created_at, updated_at)
       VALUES (?, ?, ?, 'details', 'research', ?, 'manual', ?, ?, ?, ?)`,
    );
    insert.run(GUILD, 1, 'Translate the asylum guide', 'open', now - DAY, null, now - 4 * DAY, now);
    insert.run(GUILD, 2, 'Research Dutch visas', 'claimed', null, null, now - 3 * DAY, now);
    insert.run(GUILD, 3, 'Fix the website', 'done', null, now - DAY, now - 9 * DAY, now);
    insert.run(GUILD, 4, 'Design a flyer', 'open', null, null, now - DAY, now);
    const digest = new TableDigestSource(w.db).tasks(GUILD, now)!;
    expect(digest).toEqual({
      open: 2,
      claimed: 1,
      overdue: 1,
      doneLast7Days: 1,
      oldestOpen: [
        { number: 1, title: 'Translate the asylum guide' },
        { number: 4, title: 'Design a flyer' },
      ],
    });
    w.schedules.add({ guildId: GUILD, job: 'task-digest', cron: '0 9 * * 1', channelId: CHANNEL, createdBy: ADMIN });
    const { outcome } = await w.postRuns.runNow(GUILD, 1);
    const payload = w.outbox.forRun(outcome.runId!)[0]!.payload;
    expect(payload).toContain('#1 Translate the asylum guide');
    expect(payload).toContain('Volunteer tasks');
    expect(payload).toContain('**1** · overdue');
    expect(payload).not.toContain('posts.teamDigest');
  });
});

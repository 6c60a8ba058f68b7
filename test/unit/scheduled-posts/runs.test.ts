import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outboxPosts, scheduledRuns } from '../../../src/db/schema/index.js';
import { parsePayload } from '../../../src/domain/posts/outbox.js';
import type { TeamDigestSource } from '../../../src/domain/posts/team-digest.js';
import { runsOf } from '../../../src/domain/schedules/runs.js';
import { HOUR, MINUTE } from '../../support/test-db.js';
import { ADMIN, CHANNEL, GUILD, world } from './support.js';

const base = { guildId: GUILD, channelId: CHANNEL, createdBy: ADMIN };

describe('run keys and catch-up', () => {
  it('a run key is claimed once: the same fire time never posts twice', async () => {
    const { schedules, postRuns, outbox, db } = world();
    const { schedule } = schedules.add({ ...base, job: 'advocacy', cron: '0 * * * *' });
    const fireTime = schedule.nextRunAt!;
    const first = await postRuns.run(schedule.id, fireTime, 'scheduled');
    const again = await postRuns.run(schedule.id, fireTime, 'scheduled');
    const asCatchUp = await postRuns.run(schedule.id, fireTime, 'catch-up');
    expect(first).toMatchObject({ status: 'posted', posts: 1 });
    expect(again.status).toBe('duplicate');
    expect(asCatchUp.status).toBe('duplicate');
    expect(runsOf(db, schedule.id)).toHaveLength(1);
    expect(db.select().from(outboxPosts).all()).toHaveLength(1);
    expect(outbox.forRun(first.runId!)).toHaveLength(1);
  });

  it('the run key, the pick and the outbox rows commit together or not at all', async () => {
    let calls = 0;
    const flaky: TeamDigestSource = {
      support: () => {
        calls++;
        if (calls === 1) throw new Error('database busy');
        return { open: 2, waiting: 1, urgent: 1, unanswered: 1, closedLast7Days: 4, oldest: [{ number: 42, threadId: '700000000000000001' }] };
      },
      tasks: () => null,
    };
    const { schedules, postRuns, db } = world({ digests: flaky });
    const { schedule } = schedules.add({ ...base, job: 'support-digest', cron: '0 9 * * *' });
    const fireTime = schedule.nextRunAt!;
    await expect(postRuns.run(schedule.id, fireTime, 'scheduled')).rejects.toThrow('database busy');
    expect(db.select().from(scheduledRuns).all()).toEqual([]);
    expect(schedules.byId(schedule.id)!.nextRunAt).toBe(fireTime);
    // The same key can run again after the failure, and posts once.
    expect(await postRuns.run(schedule.id, fireTime, 'scheduled')).toMatchObject({ status: 'posted', posts: 1 });
    const [post] = db.select().from(outboxPosts).all();
    const text = JSON.stringify(parsePayload(post!));
    expect(text).toContain('support-0042');
    expect(text).toContain('<#700000000000000001>');
  });

  it('catches up a run missed while down once, not once per missed tick', async () => {
    const { schedules, postRuns, clock, db } = world();
    clock.set(Date.parse('2026-11-23T12:00:30Z'));
    const { schedule } = schedules.add({ ...base, job: 'advocacy', cron: '* * * * *' });
    const firstMissed = schedule.nextRunAt!;
    expect(firstMissed).toBe(Date.parse('2026-11-23T12:01:00Z'));
    // Down for three hours: 180 ticks missed.
    clock.advance(3 * HOUR);
    const outcomes = await postRuns.catchUp();
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ status: 'posted', fireTime: firstMissed, posts: 1 });
    const after = schedules.byId(schedule.id)!;
    expect(after.nextRunAt).toBe(Date.parse('2026-11-23T15:01:00Z'));
    expect(after.lastFireTime).toBe(firstMissed);
    // A second catch-up (another restart, or the sweep) finds nothing; nor does a late tick.
    expect(await postRuns.catchUp()).toEqual([]);
    expect((await postRuns.run(schedule.id, firstMissed, 'scheduled')).status).toBe('duplicate');
    const runs = runsOf(db, schedule.id);
    expect(runs.map((run) => run.kind)).toEqual(['catch-up']);
    // The live tick after that is a normal run.
    clock.set(Date.parse('2026-11-23T15:01:00.050Z'));
    expect((await postRuns.run(schedule.id, Date.parse('2026-11-23T15:01:00Z'), 'scheduled')).status).toBe('posted');
    expect(runsOf(db, schedule.id)).toHaveLength(2);
  });

  it('catch-up leaves alone schedules that are paused or not yet due, and honours the grace period', async () => {
    const { schedules, postRuns, clock } = world();
    clock.set(Date.parse('2026-11-23T12:00:30Z'));
    schedules.add({ ...base, job: 'advocacy', cron: '0 * * * *' });
    schedules.add({ ...base, job: 'advocacy', cron: '* * * * *' });
    schedules.pause(GUILD, 2);
    clock.set(Date.parse('2026-11-23T13:00:05Z'));
    expect(await postRuns.catchUp(10_000)).toEqual([]);
    clock.advance(10 * MINUTE);
    const outcomes = await postRuns.catchUp(10_000);
    expect(outcomes.map((outcome) => outcome.scheduleId)).toEqual([schedules.get(GUILD, 1).id]);
  });

  it('a manual run posts now without moving the timetable, and twice in a row is two runs', async () => {
    const { schedules, postRuns, db } = world();
    const { schedule } = schedules.add({ ...base, job: 'advocacy', cron: '0 9 * * 1' });
    const first = await postRuns.runNow(GUILD, 1);
    const second = await postRuns.runNow(GUILD, 1);
    expect(first.outcome.status).toBe('posted');
    expect(second.outcome.status).toBe('posted');
    expect(runsOf(db, schedule.id).map((run) => run.kind)).toEqual(['manual', 'manual']);
    expect(schedules.byId(schedule.id)!.nextRunAt).toBe(schedule.nextRunAt);
  });

  it('does not run a paused or removed schedule from a stale tick', async () => {
    const { schedules, postRuns, db } = world();
    const { schedule } = schedules.add({ ...base, job: 'advocacy', cron: '0 * * * *' });
    schedules.pause(GUILD, 1);
    expect((await postRuns.run(schedule.id, schedule.nextRunAt!, 'scheduled')).status).toBe('skipped');
    schedules.remove(GUILD, 1);
    expect((await postRuns.run(schedule.id, schedule.nextRunAt!, 'scheduled')).reason).toBe('missing');
    expect(db.select().from(scheduledRuns).where(eq(scheduledRuns.scheduleId, schedule.id)).all()).toEqual([]);
  });
});

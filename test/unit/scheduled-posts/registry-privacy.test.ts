import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { ScheduleRegistry } from '../../../src/scheduler/schedule-registry.js';
import { ADMIN, CHANNEL, GUILD, MODERATOR, OTHER_GUILD, world } from './support.js';

describe('live schedule registry', () => {
  it('adds, pauses, resumes and removes node-cron tasks as schedules change, without a restart', async () => {
    const w = world();
    const before = w.schedules.add({ guildId: GUILD, job: 'advocacy', cron: '0 9 * * *', channelId: CHANNEL, createdBy: ADMIN }).schedule;
    const paused = w.schedules.add({ guildId: GUILD, job: 'updates', cron: '0 10 * * *', channelId: CHANNEL, createdBy: ADMIN }).schedule;
    w.schedules.pause(GUILD, 2);
    const registry = new ScheduleRegistry(w.schedules, w.postRuns, createLogger('silent'), { sweepMs: 3_600_000 });
    await registry.start();
    try {
      expect(registry.liveScheduleIds()).toEqual([before.id]);
      const added = w.schedules.add({ guildId: GUILD, job: 'advocacy', cron: '*/5 * * * *', channelId: CHANNEL, createdBy: ADMIN }).schedule;
      expect(registry.liveScheduleIds()).toEqual([before.id, added.id]);
      w.schedules.resume(GUILD, 2);
      expect(registry.liveScheduleIds()).toEqual([before.id, paused.id, added.id]);
      w.schedules.pause(GUILD, 1);
      expect(registry.liveScheduleIds()).toEqual([paused.id, added.id]);
      w.schedules.remove(GUILD, 3);
      expect(registry.liveScheduleIds()).toEqual([paused.id]);
    } finally {
      expect(await registry.stop(1_000)).toBe(true);
    }
    expect(registry.liveScheduleIds()).toEqual([]);
  });

  it('catches up missed runs at start, once', async () => {
    const w = world();
    const { schedule } = w.schedules.add({ guildId: GUILD, job: 'advocacy', cron: '0 * * * *', channelId: CHANNEL, createdBy: ADMIN });
    w.clock.advance(5 * 60 * 60_000);
    for (let start = 0; start < 2; start++) {
      const registry = new ScheduleRegistry(w.schedules, w.postRuns, createLogger('silent'), { sweepMs: 3_600_000 });
      await registry.start();
      await registry.stop(1_000);
    }
    const runs = w.db.$client.prepare('SELECT kind, fire_time AS fireTime FROM scheduled_runs WHERE schedule_id = ?').all(schedule.id);
    expect(runs).toEqual([{ kind: 'catch-up', fireTime: schedule.nextRunAt }]);
  });
});

describe('privacy', () => {
  it('lists and erases the member ids scheduled posts keep, keeping the records', async () => {
    const w = world();
    w.schedules.add({ guildId: GUILD, job: 'advocacy', cron: '0 9 * * *', channelId: CHANNEL, createdBy: ADMIN });
    w.advocacy.add({ guildId: GUILD, title: 'Act', text: 'Do it.', link: 'https://example.org/act', createdBy: MODERATOR });
    w.updates.add({ guildId: GUILD, title: 'News', summary: 'Something.', sources: ['https://example.org/news'], createdBy: MODERATOR });
    const adminItems = w.postsPrivacy.describe(GUILD, ADMIN, 'en');
    expect(adminItems).toEqual([{ category: 'Scheduled posts (as staff)', lines: ['Schedules you created: #1'] }]);
    expect(w.postsPrivacy.describe(GUILD, MODERATOR, 'es')[0]!.lines).toEqual([
      'Acciones de incidencia política que agregaste: #5',
      'Novedades que agregaste: #1',
    ]);
    expect(w.postsPrivacy.describe(OTHER_GUILD, MODERATOR, 'en')).toEqual([]);
    expect(w.postsPrivacy.erase(GUILD, MODERATOR)).toBe(2);
    expect(w.postsPrivacy.describe(GUILD, MODERATOR, 'en')).toEqual([]);
    expect(w.updates.list(GUILD)).toHaveLength(1);
    expect(w.advocacy.list(GUILD).find((row) => row.title === 'Act')!.createdBy).toBeNull();
    expect(w.postsPrivacy.describe(GUILD, ADMIN, 'en')).toHaveLength(1);
  });
});

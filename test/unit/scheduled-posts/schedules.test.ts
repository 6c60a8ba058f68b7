import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import { minimumIntervalSeconds } from '../../../src/domain/schedules/cron.js';
import { ScheduleService, type ScheduleChange } from '../../../src/domain/schedules/schedule-service.js';
import { t } from '../../../src/i18n/index.js';
import { ADMIN, CHANNEL, GUILD, OTHER_GUILD, world } from './support.js';

const base = { guildId: GUILD, channelId: CHANNEL, createdBy: ADMIN };

describe('ScheduleService', () => {
  it('stores a validated schedule with its next five runs and a per-guild number', () => {
    const { schedules, clock } = world();
    clock.set(Date.parse('2026-11-23T08:30:00Z'));
    const { schedule, runs } = schedules.add({ ...base, job: 'advocacy', cron: '0 9 * * 1', timezone: 'europe/amsterdam' });
    expect(schedule).toMatchObject({ number: 1, job: 'advocacy', cron: '0 9 * * 1', timezone: 'Europe/Amsterdam', enabled: true, digest: false });
    expect(runs.map((run) => new Date(run).toISOString())).toEqual([
      '2026-11-30T08:00:00.000Z',
      '2026-12-07T08:00:00.000Z',
      '2026-12-14T08:00:00.000Z',
      '2026-12-21T08:00:00.000Z',
      '2026-12-28T08:00:00.000Z',
    ]);
    expect(schedule.nextRunAt).toBe(runs[0]);
    expect(schedules.add({ ...base, job: 'updates', cron: '0 12 * * *' }).schedule.number).toBe(2);
    expect(schedules.add({ ...base, guildId: OTHER_GUILD, job: 'updates', cron: '0 12 * * *' }).schedule.number).toBe(1);
  });

  it('refuses bad input and changes nothing', () => {
    const { schedules } = world();
    const attempts: [Parameters<typeof schedules.add>[0], string][] = [
      [{ ...base, job: 'advocacy', cron: '0 9 * *' }, 'schedule.errors.cronFieldCount'],
      [{ ...base, job: 'advocacy', cron: '0 9 * * *', timezone: 'Moon/Base' }, 'schedule.errors.invalidTimezone'],
      [{ ...base, job: 'advocacy', cron: '0 9 * * *', digest: true }, 'schedule.errors.digestOnlyUpdates'],
      [{ ...base, job: 'tweets', cron: '0 9 * * *' }, 'schedule.errors.unknownJob'],
      [{ ...base, job: 'updates', cron: '0 0 30 2 *' }, 'schedule.errors.cronField.dayOfMonth'],
    ];
    for (const [input, code] of attempts) {
      expect(() => schedules.add(input)).toThrow(DomainError);
      try {
        schedules.add(input);
      } catch (error) {
        expect((error as DomainError).code).toBe(code);
      }
    }
    expect(schedules.list(GUILD)).toEqual([]);
  });

  it('pauses, resumes from now (no catch-up of paused time) and removes, announcing each change', () => {
    const { schedules, clock } = world();
    const changes: ScheduleChange[] = [];
    schedules.onChange((change) => changes.push(change));
    const { schedule } = schedules.add({ ...base, job: 'advocacy', cron: '0 * * * *' });
    expect(schedules.pause(GUILD, 1).enabled).toBe(false);
    expect(() => schedules.pause(GUILD, 1)).toThrow(expect.objectContaining({ code: 'schedule.errors.alreadyPaused' }));
    clock.advance(5 * 60 * 60_000);
    const resumed = schedules.resume(GUILD, 1);
    expect(resumed.schedule.enabled).toBe(true);
    expect(resumed.schedule.nextRunAt).toBeGreaterThan(clock.now());
    expect(schedules.due(clock.now())).toEqual([]);
    expect(() => schedules.resume(GUILD, 1)).toThrow(expect.objectContaining({ code: 'schedule.errors.notPaused' }));
    schedules.remove(GUILD, 1);
    expect(schedules.list(GUILD)).toEqual([]);
    expect(() => schedules.get(GUILD, 1)).toThrow(expect.objectContaining({ code: 'schedule.errors.notFound' }));
    expect(changes).toEqual([
      { type: 'upsert', scheduleId: schedule.id },
      { type: 'upsert', scheduleId: schedule.id },
      { type: 'upsert', scheduleId: schedule.id },
      { type: 'remove', scheduleId: schedule.id },
    ]);
    // A removed number is never handed out again.
    expect(schedules.add({ ...base, job: 'advocacy', cron: '0 * * * *' }).schedule.number).toBe(2);
  });

  it('keeps guilds apart', () => {
    const { schedules } = world();
    schedules.add({ ...base, job: 'advocacy', cron: '0 * * * *' });
    expect(() => schedules.pause(OTHER_GUILD, 1)).toThrow(expect.objectContaining({ code: 'schedule.errors.notFound' }));
    expect(schedules.list(OTHER_GUILD)).toEqual([]);
  });

  it('previews without storing anything', () => {
    const { schedules, clock } = world();
    clock.set(Date.parse('2026-11-23T12:00:00Z'));
    const preview = schedules.preview('*/15 * * * *', 'Asia/Kolkata');
    expect(preview.runs).toHaveLength(5);
    expect(preview.runs[0]).toBe(Date.parse('2026-11-23T12:15:00Z'));
    expect(schedules.list(GUILD)).toEqual([]);
  });
});

describe('posting schedules: POST_MIN_INTERVAL_SECONDS', () => {
  it.each([
    ['* * * * * *', 1],
    ['*/10 * * * * *', 10],
    ['0,59 * * * * *', 1],
    ['* * * * *', 60],
    ['*/5 * * * *', 300],
    ['0 9,10 * * *', 3600],
    ['0 9 * * 1', 86_400],
    // The burst comes once a week, late at night: a sample of the next five runs would miss it.
    ['0,30 0 23 * * 5', 30],
    // Across midnight: 23:59:59 then 00:00:30 the next day.
    ['30,59 0,59 0,23 * * *', 29],
    ['59 59 23 * * *', 86_400],
  ])('knows the shortest gap of %s is %i s', (expression, seconds) => {
    expect(minimumIntervalSeconds(expression)).toBe(seconds);
  });

  it('refuses, by default, anything more frequent than once a minute, naming the limit, and stores nothing', () => {
    const { schedules } = world();
    let caught: unknown;
    try {
      schedules.add({ ...base, job: 'advocacy', cron: '* * * * * *' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    const error = caught as DomainError;
    expect(error.code).toBe('schedule.errors.tooFrequent');
    expect(t('en', error.code as 'schedule.errors.tooFrequent', error.params)).toContain('at most once every 60 seconds');
    expect(t('es', error.code as 'schedule.errors.tooFrequent', error.params)).toContain('una vez cada 60 segundos');
    expect(() => schedules.add({ ...base, job: 'updates', cron: '*/30 * * * * *', digest: true })).toThrow('schedule.errors.tooFrequent');
    expect(schedules.list(GUILD)).toEqual([]);
    expect(schedules.add({ ...base, job: 'updates', cron: '* * * * *' }).schedule.number).toBe(1);
  });

  it('follows the configured limit', () => {
    const { db, clock } = world();
    const strict = new ScheduleService(db, clock, { minIntervalSeconds: 3600 });
    expect(() => strict.add({ ...base, job: 'advocacy', cron: '*/30 * * * *' })).toThrow('schedule.errors.tooFrequent');
    expect(strict.add({ ...base, job: 'advocacy', cron: '0 * * * *' }).schedule.number).toBe(1);
    const fast = new ScheduleService(db, clock, { minIntervalSeconds: 1 });
    expect(fast.add({ ...base, job: 'advocacy', cron: '* * * * * *' }).schedule.number).toBe(2);
  });
});

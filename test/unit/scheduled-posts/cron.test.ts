import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import { nextRuns, normalizeCron, normalizeTimeZone, searchTimeZones } from '../../../src/domain/schedules/cron.js';

const at = (iso: string) => Date.parse(iso);
const iso = (values: number[]) => values.map((value) => new Date(value).toISOString());

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('cron expressions', () => {
  it('accepts five fields, or six with seconds first, and normalizes spacing', () => {
    expect(normalizeCron(' 0  9 * * 1 ')).toBe('0 9 * * 1');
    expect(normalizeCron('*/10 * * * * *')).toBe('*/10 * * * * *');
    expect(normalizeCron('0 9 * * MON-FRI')).toBe('0 9 * * MON-FRI');
  });

  it('refuses other field counts, naming the count', () => {
    for (const [expression, count] of [['* * *', 3], ['@daily', 1], ['* * * * * * *', 7], ['', 0]] as const) {
      const error = refusal(() => normalizeCron(expression));
      expect(error.code).toBe('schedule.errors.cronFieldCount');
      expect(error.params.count).toBe(count);
    }
  });

  it('refuses out-of-range and malformed fields, naming the field', () => {
    expect(refusal(() => normalizeCron('61 * * * *')).code).toBe('schedule.errors.cronField.minute');
    expect(refusal(() => normalizeCron('0 25 * * *')).code).toBe('schedule.errors.cronField.hour');
    expect(refusal(() => normalizeCron('0 9 32 * *')).code).toBe('schedule.errors.cronField.dayOfMonth');
    expect(refusal(() => normalizeCron('0 9 * 13 *')).code).toBe('schedule.errors.cronField.month');
    expect(refusal(() => normalizeCron('0 9 * * 8')).code).toBe('schedule.errors.cronField.dayOfWeek');
    expect(refusal(() => normalizeCron('99 0 9 * * *')).code).toBe('schedule.errors.cronField.second');
    expect(refusal(() => normalizeCron('0 9 * * 1; rm')).code).toMatch(/^schedule\.errors\./);
  });
});

describe('time zones', () => {
  it('canonicalizes IANA names and defaults to UTC', () => {
    expect(normalizeTimeZone('europe/amsterdam')).toBe('Europe/Amsterdam');
    expect(normalizeTimeZone('utc')).toBe('UTC');
    expect(normalizeTimeZone('')).toBe('UTC');
    expect(normalizeTimeZone(null)).toBe('UTC');
    expect(normalizeTimeZone('America/Mexico_City')).toBe('America/Mexico_City');
  });

  it('refuses unknown zones and bare offsets', () => {
    for (const zone of ['Mars/Olympus', '+01:00', 'GMT+1 ', 'Europe/Amsterdam; DROP']) {
      expect(refusal(() => normalizeTimeZone(zone)).code, zone).toBe('schedule.errors.invalidTimezone');
    }
  });

  it('autocompletes at most 25 zones, prefix matches first, fast', () => {
    expect(searchTimeZones('')).toHaveLength(25);
    expect(searchTimeZones('amster')).toEqual(['Europe/Amsterdam']);
    expect(searchTimeZones('new york')[0]).toBe('America/New_York');
    expect(searchTimeZones('mad')).toEqual(expect.arrayContaining(['Atlantic/Madeira', 'Europe/Madrid']));
    expect(searchTimeZones('zzzz')).toEqual([]);
    const america = searchTimeZones('america');
    expect(america).toHaveLength(25);
    expect(america.every((zone) => zone.startsWith('America/'))).toBe(true);
    const started = performance.now();
    for (let i = 0; i < 200; i++) searchTimeZones(`a${i % 10}`);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('next run times', () => {
  it('every second with six fields', () => {
    expect(iso(nextRuns('* * * * * *', 'UTC', at('2026-11-23T12:00:00.500Z'), 3))).toEqual([
      '2026-11-23T12:00:01.000Z',
      '2026-11-23T12:00:02.000Z',
      '2026-11-23T12:00:03.000Z',
    ]);
  });

  it('weekdays at 9:00 in the schedule zone, across a weekend', () => {
    // 23 Nov 2026 is a Monday; Amsterdam is UTC+1 in winter.
    expect(iso(nextRuns('0 9 * * 1-5', 'Europe/Amsterdam', at('2026-11-26T09:00:00Z'), 3))).toEqual([
      '2026-11-27T08:00:00.000Z',
      '2026-11-30T08:00:00.000Z',
      '2026-12-01T08:00:00.000Z',
    ]);
  });

  it('keeps the local hour across a daylight-saving change', () => {
    // Europe moves to summer time on 29 March 2026.
    expect(iso(nextRuns('0 9 * * *', 'Europe/Madrid', at('2026-03-28T12:00:00Z'), 2))).toEqual([
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
  });

  it('understands L (last day of the month)', () => {
    expect(iso(nextRuns('0 12 L * *', 'UTC', at('2026-11-23T00:00:00Z'), 3))).toEqual([
      '2026-11-30T12:00:00.000Z',
      '2026-12-31T12:00:00.000Z',
      '2027-01-31T12:00:00.000Z',
    ]);
  });

  it('agrees with node-cron on the fire times it will use', () => {
    for (const [expression, zone] of [
      ['0 9 * * 1', 'Europe/Amsterdam'],
      ['30 */6 * * *', 'America/New_York'],
      ['0 0 1 * *', 'Asia/Kolkata'],
      ['15 14 * * 5L', 'UTC'],
    ] as const) {
      const task = cron.createTask(expression, () => undefined, { timezone: zone });
      const now = Date.now();
      const ours = nextRuns(expression, zone, now, 5);
      const theirs = task.getNextRuns(5).map((date) => date.getTime());
      void task.destroy();
      expect(ours, `${expression} ${zone}`).toEqual(theirs);
    }
  });
});

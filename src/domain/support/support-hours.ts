import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { supportHours } from '../../db/schema/index.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import { canonicalTimeZone, weekdayOf, zonedParts, zonedToInstant } from '../time-zone.js';

const CANONICAL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** Monday = 0 … Sunday = 6. English and Spanish abbreviations and full names (accents optional). */
const DAY_NAMES = new Map<string, number>(
  [
    ['mon', 'monday', 'lun', 'lunes'],
    ['tue', 'tuesday', 'mar', 'martes'],
    ['wed', 'wednesday', 'mie', 'miercoles'],
    ['thu', 'thursday', 'jue', 'jueves'],
    ['fri', 'friday', 'vie', 'viernes'],
    ['sat', 'saturday', 'sab', 'sabado'],
    ['sun', 'sunday', 'dom', 'domingo'],
  ].flatMap((names, day) => names.map((name) => [name, day] as const)),
);
export const SCHEDULE_MAX_LENGTH = 200;

/** Minutes since local midnight, [start, end). */
export type TimeRange = readonly [number, number];
/** Seven entries, Monday first, each a sorted list of non-overlapping ranges. */
export type WeeklySchedule = readonly (readonly TimeRange[])[];

export interface SupportHours {
  timezone: string;
  schedule: string;
  week: WeeklySchedule;
}

function scheduleError(value: string): DomainError {
  return new DomainError('support.hours.invalidSchedule', { value: value.slice(0, 100) });
}

function parseDay(token: string, whole: string): number {
  const day = DAY_NAMES.get(token.normalize('NFD').replace(/\p{M}/gu, ''));
  if (day === undefined) throw scheduleError(whole);
  return day;
}

function parseDays(spec: string, whole: string): number[] {
  if (spec === 'daily' || spec === 'diario') return [0, 1, 2, 3, 4, 5, 6];
  const days = new Set<number>();
  for (const part of spec.split(',')) {
    const [from, to, ...rest] = part.split('-').map((token) => token.trim());
    if (!from || rest.length > 0) throw scheduleError(whole);
    const start = parseDay(from, whole);
    const end = to === undefined ? start : parseDay(to, whole);
    // "fri-mon" wraps over the weekend.
    for (let day = start; ; day = (day + 1) % 7) {
      days.add(day);
      if (day === end) break;
    }
  }
  return [...days];
}

function parseTime(token: string, whole: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(token);
  if (!match) throw scheduleError(whole);
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes > 0)) throw scheduleError(whole);
  return hours * 60 + minutes;
}

/**
 * Parses `mon-fri 09:00-17:00; sat 10:00-14:00` (also `lun-vie 9:00-13:00,15:00-19:00`, `daily …`).
 * Ranges end after they start (no overnight ranges: write them as two days).
 */
export function parseSchedule(input: string): WeeklySchedule {
  const whole = input.trim();
  if (whole.length === 0 || whole.length > SCHEDULE_MAX_LENGTH) throw scheduleError(input);
  const week: TimeRange[][] = [[], [], [], [], [], [], []];
  for (const segment of whole.toLowerCase().split(/[;\n]/)) {
    const trimmed = segment.trim();
    if (!trimmed) continue;
    // Days end where the first time starts (the first whitespace followed by a digit). A single
    // regex for "days then times" backtracked exponentially on input such as "a,a,a,…".
    const split = /\s\d/.exec(trimmed);
    if (!split) throw scheduleError(input);
    const daysText = trimmed.slice(0, split.index).trim();
    const timesText = trimmed.slice(split.index).trim();
    if (!daysText) throw scheduleError(input);
    const days = parseDays(daysText.replace(/\s+/g, ''), input);
    for (const rangeText of timesText.split(',')) {
      const [from, to, ...rest] = rangeText.split('-').map((token) => token.trim());
      if (!from || !to || rest.length > 0) throw scheduleError(input);
      const start = parseTime(from, input);
      const end = parseTime(to, input);
      if (end <= start) throw scheduleError(input);
      for (const day of days) week[day]!.push([start, end]);
    }
  }
  if (week.every((ranges) => ranges.length === 0)) throw scheduleError(input);
  return week.map(mergeRanges);
}

function mergeRanges(ranges: TimeRange[]): TimeRange[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

const pad = (value: number) => String(value).padStart(2, '0');
const formatTime = (minutes: number) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;

/** Canonical text for a schedule: consecutive days with the same hours are grouped. */
export function formatSchedule(week: WeeklySchedule): string {
  const key = (ranges: readonly TimeRange[]) => ranges.map(([a, b]) => `${formatTime(a)}-${formatTime(b)}`).join(',');
  const parts: string[] = [];
  let day = 0;
  while (day < 7) {
    const ranges = key(week[day] ?? []);
    let last = day;
    while (last + 1 < 7 && key(week[last + 1] ?? []) === ranges) last++;
    if (ranges) {
      const days = last === day ? CANONICAL_DAYS[day] : `${CANONICAL_DAYS[day]}-${CANONICAL_DAYS[last]}`;
      parts.push(`${days} ${ranges}`);
    }
    day = last + 1;
  }
  return parts.join('; ');
}

/** The canonical IANA name, or a DomainError for anything Intl does not know. */
export function validateTimezone(timezone: string): string {
  const trimmed = timezone.trim();
  const canonical = trimmed && trimmed.length <= 64 ? canonicalTimeZone(trimmed) : undefined;
  if (!canonical) throw new DomainError('support.hours.invalidTimezone', { value: trimmed.slice(0, 64) });
  return canonical;
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  /** Monday = 0. */
  weekday: number;
  /** Minutes since local midnight. */
  minute: number;
}

function localTime(instant: number, timezone: string): LocalTime {
  const parts = zonedParts(instant, timezone);
  return { year: parts.year, month: parts.month, day: parts.day, weekday: weekdayOf(parts), minute: parts.hour * 60 + parts.minute };
}

/** The instant at which the wall clock in `timezone` shows the given date and minute. */
function zonedInstant(year: number, month: number, day: number, minute: number, timezone: string): number {
  return zonedToInstant({ year, month, day, hour: Math.floor(minute / 60), minute: minute % 60, second: 0 }, timezone);
}

export function isWithinHours(hours: Pick<SupportHours, 'timezone' | 'week'>, instant: number): boolean {
  const local = localTime(instant, hours.timezone);
  return (hours.week[local.weekday] ?? []).some(([start, end]) => local.minute >= start && local.minute < end);
}

/** When the team is next available: null while within hours. */
export function nextOpening(hours: Pick<SupportHours, 'timezone' | 'week'>, instant: number): number | null {
  if (isWithinHours(hours, instant)) return null;
  const local = localTime(instant, hours.timezone);
  for (let offset = 0; offset <= 7; offset++) {
    const date = new Date(Date.UTC(local.year, local.month - 1, local.day + offset));
    const weekday = (local.weekday + offset) % 7;
    for (const [start] of hours.week[weekday] ?? []) {
      if (offset === 0 && start <= local.minute) continue;
      const at = zonedInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), start, hours.timezone);
      if (at > instant) return at;
    }
  }
  return null;
}

/** Per-guild support hours: optional; without them the team is always "available". */
export class SupportHoursService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  get(guildId: string): SupportHours | null {
    const row = this.db.select().from(supportHours).where(eq(supportHours.guildId, guildId)).get();
    if (!row) return null;
    try {
      return { timezone: row.timezone, schedule: row.schedule, week: parseSchedule(row.schedule) };
    } catch {
      return null;
    }
  }

  /**
   * Sets the zone and/or schedule. Without stored hours both are needed; with stored hours
   * either one can change alone. Invalid input throws and changes nothing.
   */
  set(guildId: string, input: { timezone?: string | null; schedule?: string | null }): SupportHours {
    const current = this.get(guildId);
    const timezoneText = input.timezone ?? current?.timezone;
    const scheduleText = input.schedule ?? current?.schedule;
    if (!timezoneText || !scheduleText) throw new DomainError('support.hours.needBoth');
    const timezone = validateTimezone(timezoneText);
    const week = parseSchedule(scheduleText);
    const schedule = formatSchedule(week);
    const now = this.clock.now();
    this.db
      .insert(supportHours)
      .values({ guildId, timezone, schedule, updatedAt: now })
      .onConflictDoUpdate({ target: supportHours.guildId, set: { timezone, schedule, updatedAt: now } })
      .run();
    return { timezone, schedule, week };
  }

  clear(guildId: string): boolean {
    return this.db.delete(supportHours).where(eq(supportHours.guildId, guildId)).run().changes > 0;
  }

  /** Null when the team is available now (or no hours are set), else the next opening time. */
  nextAvailable(guildId: string): number | null {
    const hours = this.get(guildId);
    return hours ? nextOpening(hours, this.clock.now()) : null;
  }
}

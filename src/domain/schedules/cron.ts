import cron, { type ScheduledTask } from 'node-cron';
import { DomainError } from '../errors.js';
import { canonicalTimeZone, sameParts, zonedParts, zonedToInstant } from '../time-zone.js';

/**
 * Cron expressions and time zones for admin schedules. node-cron decides what is valid and what a
 * time matches; this module adds what node-cron cannot do from an injected clock: the next fire
 * times after any instant, so catch-up, previews and tests never depend on the real time.
 */

export const DEFAULT_TIMEZONE = 'UTC';
const MAX_DAYS_SCANNED = 366 * 8;

export type CronField = 'second' | 'minute' | 'hour' | 'dayOfMonth' | 'month' | 'dayOfWeek' | 'expression';

/** Collapses spaces and checks node-cron's syntax: five fields, or six with seconds first. */
export function normalizeCron(input: string): string {
  const expression = input.trim().replace(/\s+/g, ' ');
  const fields = expression.split(' ');
  if (expression === '' || fields.length < 5 || fields.length > 6) {
    throw new DomainError('schedule.errors.cronFieldCount', { expression: clip(input), count: expression === '' ? 0 : fields.length });
  }
  const result = cron.validateDetailed(expression);
  if (!result.valid || !cron.validate(expression)) {
    const field = (result.errors[0]?.field ?? 'expression') as CronField;
    throw new DomainError(`schedule.errors.cronField.${field}`, { expression: clip(input), value: clip(result.errors[0]?.value ?? '') });
  }
  return expression;
}

export function hasSeconds(expression: string): boolean {
  return expression.trim().split(/\s+/).length === 6;
}

let zoneList: string[] | undefined;
let zoneIndex: { zone: string; key: string }[] | undefined;

/** Every IANA zone this Node knows, plus UTC (which `supportedValuesOf` leaves out). */
export function timeZones(): readonly string[] {
  zoneList ??= [DEFAULT_TIMEZONE, ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== DEFAULT_TIMEZONE)];
  return zoneList;
}

/** Canonical IANA name (`europe/amsterdam` → `Europe/Amsterdam`), or a localized refusal. */
export function normalizeTimeZone(input: string | null | undefined): string {
  const value = (input ?? '').trim();
  if (value === '') return DEFAULT_TIMEZONE;
  // Offsets such as "+01:00" are not zones: they would silently ignore daylight saving time.
  if (/^[a-z][\w+\-/]*$/i.test(value)) {
    // Intl accepts canonical names and aliases (e.g. "US/Eastern") and returns the canonical spelling.
    const canonical = canonicalTimeZone(value);
    if (canonical) return canonical;
  }
  throw new DomainError('schedule.errors.invalidTimezone', { timezone: clip(value) });
}

/** Up to `limit` zones matching the query, prefix matches (of the zone or its city) first. */
export function searchTimeZones(query: string, limit = 25): string[] {
  zoneIndex ??= timeZones().map((zone) => ({ zone, key: zone.toLowerCase() }));
  const needle = query.trim().toLowerCase().replace(/\s+/g, '_');
  if (needle === '') return zoneIndex.slice(0, limit).map((entry) => entry.zone);
  const prefix: string[] = [];
  const inner: string[] = [];
  for (const { zone, key } of zoneIndex) {
    const at = key.indexOf(needle);
    if (at === -1) continue;
    if (at === 0 || key[at - 1] === '/') prefix.push(zone);
    else inner.push(zone);
    if (prefix.length >= limit) break;
  }
  return [...prefix, ...inner].slice(0, limit);
}


/** node-cron's own matcher for an expression, so day-of-month/week rules (L, W, #) stay node-cron's. */
const matchers = new Map<string, ScheduledTask>();
const MAX_MATCHERS = 200;

function matcherFor(expression: string, timezone: string): ScheduledTask {
  const key = `${timezone} ${expression}`;
  let matcher = matchers.get(key);
  if (!matcher) {
    if (matchers.size >= MAX_MATCHERS) {
      const [oldestKey, oldest] = matchers.entries().next().value as [string, ScheduledTask];
      matchers.delete(oldestKey);
      void oldest.destroy();
    }
    // Never started: used only for match(), so it holds no timer.
    matcher = cron.createTask(expression, () => undefined, { timezone });
    matchers.set(key, matcher);
  }
  return matcher;
}

function nextDay(p: { year: number; month: number; day: number }) {
  const date = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** The first fire time strictly after `afterMs`, or null if none within years. */
export function nextRunAfter(expression: string, timezone: string, afterMs: number): number | null {
  const fields = cron.parse(expression);
  const seconds = [...fields.second].sort((a, b) => a - b);
  const minutes = [...fields.minute].sort((a, b) => a - b);
  const hours = [...fields.hour].sort((a, b) => a - b);
  const matcher = matcherFor(expression, timezone);
  const base = zonedParts(afterMs, timezone);
  let day = { year: base.year, month: base.month, day: base.day };
  const [h0, m0, s0] = [hours[0] ?? 0, minutes[0] ?? 0, seconds[0] ?? 0];

  for (let i = 0; i < MAX_DAYS_SCANNED; i++, day = nextDay(day)) {
    // Cheap day test: the day's first candidate time. If it reads back exactly (no DST gap), a miss
    // means the date itself is excluded by month/day-of-month/day-of-week.
    const probeParts = { ...day, hour: h0, minute: m0, second: s0 };
    const probe = zonedToInstant(probeParts, timezone);
    if (sameParts(zonedParts(probe, timezone), probeParts) && !matcher.match(new Date(probe))) continue;
    const firstDay = i === 0;
    for (const hour of hours) {
      if (firstDay && hour < base.hour) continue;
      for (const minute of minutes) {
        if (firstDay && hour === base.hour && minute < base.minute) continue;
        for (const second of seconds) {
          if (firstDay && hour === base.hour && minute === base.minute && second <= base.second) continue;
          const instant = zonedToInstant({ ...day, hour, minute, second }, timezone);
          if (instant > afterMs && matcher.match(new Date(instant))) return instant;
        }
      }
    }
  }
  return null;
}

/** The next `count` fire times after `afterMs`. */
export function nextRuns(expression: string, timezone: string, afterMs: number, count: number): number[] {
  const runs: number[] = [];
  let from = afterMs;
  while (runs.length < count) {
    const next = nextRunAfter(expression, timezone, from);
    if (next === null) break;
    runs.push(next);
    from = next;
  }
  return runs;
}

const DAY_SECONDS = 86_400;

/**
 * The shortest possible gap, in seconds, between two fire times of an expression, from its fields
 * rather than from a sample (a sample of the next few runs misses `0 0,30 9 * * 1`-style bursts
 * that come later). Within a day, fire times are every (hour, minute, second) combination, so the
 * smallest step between consecutive combinations is exact. Across midnight the gap from the day's
 * last time to the next day's first is counted too, whether or not the next day matches, which can
 * only make the answer smaller (safe for a lower bound). Daylight saving changes are ignored: they
 * shift wall times by an hour, never by less than the limits this is compared with.
 */
export function minimumIntervalSeconds(expression: string): number {
  const fields = cron.parse(normalizeCron(expression));
  const seconds = [...fields.second].sort((a, b) => a - b);
  const minutes = [...fields.minute].sort((a, b) => a - b);
  const hours = [...fields.hour].sort((a, b) => a - b);
  let shortest = Number.POSITIVE_INFINITY;
  let first: number | null = null;
  let previous: number | null = null;
  for (const hour of hours) {
    for (const minute of minutes) {
      for (const second of seconds) {
        const at = hour * 3600 + minute * 60 + second;
        if (previous !== null) shortest = Math.min(shortest, at - previous);
        first ??= at;
        previous = at;
      }
    }
  }
  if (first !== null && previous !== null) shortest = Math.min(shortest, DAY_SECONDS - previous + first);
  return shortest;
}

/** Shortest gap between consecutive runs among the next few, to warn about very frequent schedules. */
export function shortestInterval(runs: readonly number[]): number | null {
  let shortest: number | null = null;
  for (let i = 1; i < runs.length; i++) {
    const gap = (runs[i] ?? 0) - (runs[i - 1] ?? 0);
    if (shortest === null || gap < shortest) shortest = gap;
  }
  return shortest;
}

function clip(value: string): string {
  return value.length > 100 ? `${value.slice(0, 99)}…` : value;
}

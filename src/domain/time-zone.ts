/**
 * Wall-clock arithmetic in IANA time zones with nothing but Intl: admin schedules and support
 * hours both need "what time is it there" and "when does that local time happen".
 */

export interface ZonedParts {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** The canonical IANA name (aliases resolved), or undefined when Intl does not know the zone. */
export function canonicalTimeZone(timezone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** What a wall clock in `timezone` shows at instant `ms`. */
export function zonedParts(ms: number, timezone: string): ZonedParts {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timezone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Day of the week of a calendar date, Monday = 0. */
export function weekdayOf(parts: Pick<ZonedParts, 'year' | 'month' | 'day'>): number {
  return (new Date(Date.UTC(parts.year, parts.month - 1, parts.day)).getUTCDay() + 6) % 7;
}

const asUtc = (p: ZonedParts) => Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);

function offsetAt(ms: number, timezone: string): number {
  return asUtc(zonedParts(ms, timezone)) - Math.floor(ms / 1000) * 1000;
}

export function sameParts(a: ZonedParts, b: ZonedParts): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute && a.second === b.second;
}

/**
 * The instant a wall-clock time happens in a zone. In a DST overlap the earlier instant wins; a
 * time skipped by a DST gap maps to the later candidate (node-cron's rule).
 */
export function zonedToInstant(parts: ZonedParts, timezone: string): number {
  const guess = asUtc(parts);
  const first = offsetAt(guess, timezone);
  const candidate1 = guess - first;
  const second = offsetAt(candidate1, timezone);
  if (first === second) return candidate1;
  const candidate2 = guess - second;
  if (sameParts(zonedParts(candidate1, timezone), parts)) return candidate1;
  if (sameParts(zonedParts(candidate2, timezone), parts)) return candidate2;
  return Math.max(candidate1, candidate2);
}

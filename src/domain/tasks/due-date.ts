import { DomainError } from '../errors.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A due date further out than this is almost certainly a typo (2062 for 2026). */
export const MAX_DUE_DAYS = 366;

/** Words that clear a due date in `/task-admin edit due:`. */
const NONE_WORDS = new Set(['none', 'no', 'clear', 'ninguna', 'ninguno', 'nada', 'sin fecha', 'quitar', 'borrar']);

const UNIT_DAYS: Record<string, number> = {
  d: 1,
  day: 1,
  days: 1,
  dia: 1,
  dias: 1,
  w: 7,
  wk: 7,
  week: 7,
  weeks: 7,
  semana: 7,
  semanas: 7,
  month: 30,
  months: 30,
  mes: 30,
  meses: 30,
};

const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  un: 1,
  una: 1,
  uno: 1,
  two: 2,
  dos: 2,
  three: 3,
  tres: 3,
  four: 4,
  cuatro: 4,
  five: 5,
  cinco: 5,
};

const FIXED_OFFSETS: Record<string, number> = {
  today: 0,
  hoy: 0,
  tomorrow: 1,
  manana: 1,
  'pasado manana': 2,
  'next week': 7,
  'proxima semana': 7,
  'la proxima semana': 7,
  'la semana que viene': 7,
  'semana que viene': 7,
};

/** Lower case, accents removed, spaces collapsed: "En 3 Días" → "en 3 dias". */
function normalise(input: string): string {
  return input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Last millisecond of the UTC day `days` after the day containing `now`. */
function endOfUtcDay(now: number, days: number): number {
  const start = Math.floor(now / DAY_MS) * DAY_MS;
  return start + (days + 1) * DAY_MS - 1;
}

export function isClearDueWord(input: string): boolean {
  return NONE_WORDS.has(normalise(input));
}

/**
 * Parses a due date typed by a moderator: `YYYY-MM-DD`, or a few natural forms in English and
 * Spanish ("today", "tomorrow", "in 3 days", "2 weeks", "en 3 días", "mañana", "la próxima semana").
 * Returns the end of that day in UTC. Past dates, impossible dates and dates over a year away are
 * refused with a localized message. Ambiguous forms such as 03/04/2026 are refused on purpose.
 */
export function parseDueDate(input: string, now: number): number {
  const text = normalise(input);
  const shown = input.trim().slice(0, 40);
  if (!text) throw new DomainError('taskAdmin.errors.dueFormat', { value: shown });

  let dueAt: number | undefined;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (iso) {
    const [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    const start = Date.UTC(year, month - 1, day);
    const check = new Date(start);
    // Date.UTC rolls 2026-02-30 over to March; a real date survives the round trip.
    if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
      throw new DomainError('taskAdmin.errors.dueInvalidDate', { value: shown });
    }
    dueAt = start + DAY_MS - 1;
  } else if (text in FIXED_OFFSETS) {
    dueAt = endOfUtcDay(now, FIXED_OFFSETS[text] ?? 0);
  } else {
    // A word amount needs its space ("two days"): `[a-z]+ ?[a-z]+` would backtrack on long words.
    const relative = /^(?:(?:in|en|within|dentro de) )?(?:(\d{1,3}) ?|([a-z]+) )([a-z]+)$/.exec(text);
    const amount = relative ? (relative[1] !== undefined ? Number(relative[1]) : NUMBER_WORDS[relative[2] ?? '']) : undefined;
    const unit = relative ? UNIT_DAYS[relative[3] ?? ''] : undefined;
    if (amount === undefined || unit === undefined) {
      throw new DomainError('taskAdmin.errors.dueFormat', { value: shown });
    }
    dueAt = endOfUtcDay(now, amount * unit);
  }

  if (dueAt < now) throw new DomainError('taskAdmin.errors.duePast', { value: shown });
  if (dueAt > endOfUtcDay(now, MAX_DUE_DAYS)) {
    throw new DomainError('taskAdmin.errors.dueTooFar', { value: shown, days: MAX_DUE_DAYS });
  }
  return dueAt;
}

/** The calendar day of a stored due date, as YYYY-MM-DD (unambiguous in both languages). */
export function formatDueDay(dueAt: number): string {
  return new Date(dueAt).toISOString().slice(0, 10);
}

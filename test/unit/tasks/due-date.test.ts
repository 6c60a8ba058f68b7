import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import { formatDueDay, isClearDueWord, parseDueDate } from '../../../src/domain/tasks/due-date.js';

// Monday 2026-11-23, 12:00 UTC.
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const endOfDay = (year: number, month: number, day: number) => Date.UTC(year, month - 1, day, 23, 59, 59, 999);

function refusal(input: string): string {
  try {
    parseDueDate(input, NOW);
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error(`"${input}" was accepted`);
}

describe('parseDueDate', () => {
  it('accepts ISO dates as the end of that UTC day', () => {
    expect(parseDueDate('2026-12-31', NOW)).toBe(endOfDay(2026, 12, 31));
    expect(parseDueDate(' 2027-1-5 ', NOW)).toBe(endOfDay(2027, 1, 5));
    expect(formatDueDay(parseDueDate('2026-12-31', NOW))).toBe('2026-12-31');
  });

  it('accepts today (still in the future until the day ends)', () => {
    expect(parseDueDate('2026-11-23', NOW)).toBe(endOfDay(2026, 11, 23));
    expect(parseDueDate('today', NOW)).toBe(endOfDay(2026, 11, 23));
    expect(parseDueDate('Hoy', NOW)).toBe(endOfDay(2026, 11, 23));
  });

  it('accepts natural forms in English and Spanish, accents optional', () => {
    const cases: [string, number][] = [
      ['tomorrow', endOfDay(2026, 11, 24)],
      ['mañana', endOfDay(2026, 11, 24)],
      ['manana', endOfDay(2026, 11, 24)],
      ['pasado mañana', endOfDay(2026, 11, 25)],
      ['in 3 days', endOfDay(2026, 11, 26)],
      ['In 3 Days', endOfDay(2026, 11, 26)],
      ['3 days', endOfDay(2026, 11, 26)],
      ['3d', endOfDay(2026, 11, 26)],
      ['en 3 días', endOfDay(2026, 11, 26)],
      ['en 3 dias', endOfDay(2026, 11, 26)],
      ['in 2 weeks', endOfDay(2026, 12, 7)],
      ['en dos semanas', endOfDay(2026, 12, 7)],
      ['in a week', endOfDay(2026, 11, 30)],
      ['en una semana', endOfDay(2026, 11, 30)],
      ['next week', endOfDay(2026, 11, 30)],
      ['la próxima semana', endOfDay(2026, 11, 30)],
      ['la semana que viene', endOfDay(2026, 11, 30)],
      ['in 1 month', endOfDay(2026, 12, 23)],
      ['en 1 mes', endOfDay(2026, 12, 23)],
    ];
    for (const [input, expected] of cases) expect(parseDueDate(input, NOW), input).toBe(expected);
  });

  it('refuses past dates', () => {
    expect(refusal('2026-11-22')).toBe('taskAdmin.errors.duePast');
    expect(refusal('2020-01-01')).toBe('taskAdmin.errors.duePast');
  });

  it('refuses impossible dates', () => {
    expect(refusal('2026-02-30')).toBe('taskAdmin.errors.dueInvalidDate');
    expect(refusal('2026-13-01')).toBe('taskAdmin.errors.dueInvalidDate');
    expect(refusal('2026-00-10')).toBe('taskAdmin.errors.dueInvalidDate');
  });

  it('refuses dates more than a year away', () => {
    expect(refusal('2062-11-23')).toBe('taskAdmin.errors.dueTooFar');
    expect(refusal('in 400 days')).toBe('taskAdmin.errors.dueTooFar');
  });

  it('refuses nonsense and ambiguous forms', () => {
    for (const input of ['', '   ', 'soon', 'asap', 'in three fortnights', '03/04/2026', '12/31', 'yesterday', '3', 'in -3 days', '2026-12-31T10:00', 'DROP TABLE tasks']) {
      expect(refusal(input), input).toBe('taskAdmin.errors.dueFormat');
    }
  });

  it('keeps the refused text short in the message', () => {
    try {
      parseDueDate('x'.repeat(500), NOW);
      expect.unreachable();
    } catch (error) {
      expect((error as DomainError).params.value).toHaveLength(40);
    }
  });

  it('recognises words that clear a due date', () => {
    for (const word of ['none', 'None', 'ninguna', 'sin fecha', 'clear']) expect(isClearDueWord(word), word).toBe(true);
    expect(isClearDueWord('tomorrow')).toBe(false);
  });
});

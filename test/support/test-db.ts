import { closeDatabase, openDatabase, type Db } from '../../src/db/client.js';
import type { Clock } from '../../src/domain/clock.js';

/** A fresh in-memory database built from the real migrations. */
export function createTestDb(): Db {
  return openDatabase(':memory:');
}

export { closeDatabase };

/** A clock tests move by hand: no sleeping, no timing flakiness. */
export class FakeClock implements Clock {
  constructor(private current = Date.UTC(2026, 10, 23, 12, 0, 0)) {}

  now(): number {
    return this.current;
  }

  set(ms: number): void {
    this.current = ms;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

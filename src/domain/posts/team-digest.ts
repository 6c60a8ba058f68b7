import type { Db } from '../../db/client.js';

/**
 * The seam between scheduled digests and the support and task features. Digests only need counts
 * and a few links; `TableDigestSource` reads them straight from those features' tables (and says
 * "not available" when a table is missing), so the lead can swap in the features' own services
 * without touching the scheduler.
 */
export interface SupportDigest {
  open: number;
  waiting: number;
  urgent: number;
  /** Open or waiting requests still without a first staff reply. */
  unanswered: number;
  closedLast7Days: number;
  /** Oldest open requests: neutral number and thread id only (never a name or text). */
  oldest: { number: number; threadId: string | null }[];
}

export interface TaskDigest {
  open: number;
  claimed: number;
  overdue: number;
  doneLast7Days: number;
  /** Oldest open tasks, as `#12 title`. */
  oldestOpen: { number: number; title: string }[];
}

export interface TeamDigestSource {
  support(guildId: string, now: number): SupportDigest | null;
  tasks(guildId: string, now: number): TaskDigest | null;
}

const WEEK = 7 * 24 * 60 * 60 * 1000;

export class TableDigestSource implements TeamDigestSource {
  constructor(private readonly db: Db) {}

  private hasTable(name: string): boolean {
    return (
      this.db.$client.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined
    );
  }

  support(guildId: string, now: number): SupportDigest | null {
    if (!this.hasTable('support_requests')) return null;
    const client = this.db.$client;
    const counts = client
      .prepare(
        `SELECT
           sum(status = 'open') AS open,
           sum(status = 'waiting') AS waiting,
           sum(status IN ('open', 'waiting') AND urgent = 1) AS urgent,
           sum(status IN ('open', 'waiting') AND first_staff_reply_at IS NULL) AS unanswered,
           sum(status = 'closed' AND closed_at >= ?) AS closed_recent
         FROM support_requests WHERE guild_id = ?`,
      )
      .get(now - WEEK, guildId) as Record<string, number | null>;
    const oldest = client
      .prepare(
        `SELECT number, thread_id AS threadId FROM support_requests
         WHERE guild_id = ? AND status IN ('open', 'waiting') ORDER BY urgent DESC, created_at ASC LIMIT 10`,
      )
      .all(guildId) as { number: number; threadId: string | null }[];
    return {
      open: counts.open ?? 0,
      waiting: counts.waiting ?? 0,
      urgent: counts.urgent ?? 0,
      unanswered: counts.unanswered ?? 0,
      closedLast7Days: counts.closed_recent ?? 0,
      oldest,
    };
  }

  tasks(guildId: string, now: number): TaskDigest | null {
    if (!this.hasTable('tasks')) return null;
    const client = this.db.$client;
    const counts = client
      .prepare(
        `SELECT
           sum(status = 'open') AS open,
           sum(status = 'claimed') AS claimed,
           sum(status IN ('open', 'claimed') AND due_at IS NOT NULL AND due_at < ?) AS overdue,
           sum(status = 'done' AND done_at >= ?) AS done_recent
         FROM tasks WHERE guild_id = ?`,
      )
      .get(now, now - WEEK, guildId) as Record<string, number | null>;
    const oldestOpen = client
      .prepare(`SELECT number, title FROM tasks WHERE guild_id = ? AND status = 'open' ORDER BY created_at ASC LIMIT 10`)
      .all(guildId) as { number: number; title: string }[];
    return {
      open: counts.open ?? 0,
      claimed: counts.claimed ?? 0,
      overdue: counts.overdue ?? 0,
      doneLast7Days: counts.done_recent ?? 0,
      oldestOpen,
    };
  }
}

import type { supportAudit, supportRequests } from '../../db/schema/index.js';

export const TOPICS = ['visa', 'asylum', 'legal', 'safety', 'other'] as const;
export type Topic = (typeof TOPICS)[number];

export const STATUSES = ['pending', 'open', 'waiting', 'closed'] as const;
export type RequestStatus = (typeof STATUSES)[number];
/** Statuses staff filter the queue by (`pending` is an internal reservation). */
export const QUEUE_STATUSES = ['open', 'waiting', 'closed'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

export type SupportRequest = typeof supportRequests.$inferSelect;
export type AuditEntry = typeof supportAudit.$inferSelect;
export type AuditAction = AuditEntry['action'];

/** Discord's limit for a paragraph text input. */
export const DESCRIPTION_MAX_LENGTH = 4000;
export const CLOSE_REASON_MAX_LENGTH = 500;

/** New requests per member: at most `max` within `windowMs` (on top of one open request at a time). */
export const RATE_LIMIT = { max: 3, windowMs: 24 * 60 * 60_000 } as const;
/** A reservation older than this was left by a crash mid-creation and no longer blocks the member. */
export const PENDING_TTL_MS = 10 * 60_000;
export const BLOCK_DAYS = { min: 1, max: 365, default: 30 } as const;
export const QUEUE_PAGE_SIZE = 10;
export const STATS_WINDOW_MS = 30 * 24 * 60 * 60_000;

/** Who is acting; the Discord layer decides the flags from the member's roles and permissions. */
export interface Actor {
  userId: string;
  /** Moderator, support or Spanish support role, or Manage Server. */
  staff: boolean;
  /** Moderator role, Manage Threads or Manage Server (needed for blocks). */
  moderator?: boolean;
}

export interface NewRequestInput {
  topic: string;
  language: string;
  urgent: boolean;
}

export type OpenCheck =
  | { kind: 'ok' }
  | { kind: 'blocked'; until: number }
  | { kind: 'alreadyOpen'; request: SupportRequest }
  | { kind: 'rateLimited'; retryAt: number };

export function formatRequestNumber(number: number): string {
  return String(number).padStart(4, '0');
}

/** The neutral thread name: never the member's name. */
export function threadName(number: number): string {
  return `support-${formatRequestNumber(number)}`;
}

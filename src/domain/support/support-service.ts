import { and, asc, count, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { supportAudit, supportBlocks, supportCounters, supportRateMarks, supportRequests, supportThreadDeletions } from '../../db/schema/index.js';
import { isLanguage, type Language } from '../../i18n/index.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import type { GuildSettingsService } from '../guild-settings.js';
import {
  BLOCK_DAYS,
  PENDING_TTL_MS,
  QUEUE_PAGE_SIZE,
  RATE_LIMIT,
  STATS_WINDOW_MS,
  TOPICS,
  type Actor,
  type AuditAction,
  type AuditEntry,
  type NewRequestInput,
  type OpenCheck,
  type QueueStatus,
  type RequestStatus,
  type SupportRequest,
  type Topic,
} from './types.js';

const DAY_MS = 24 * 60 * 60_000;
const HOUR_MS = 60 * 60_000;
const ACTIVE: RequestStatus[] = ['open', 'waiting'];

export interface TransitionResult {
  request: SupportRequest;
  entry: AuditEntry;
}

export interface QueuePage {
  items: SupportRequest[];
  total: number;
  page: number;
  pages: number;
}

export interface LanguageStats {
  open: number;
  waiting: number;
  closed: number;
  /** Milliseconds, null without data. */
  medianFirstReplyMs: number | null;
  medianCloseMs: number | null;
}

export interface SupportStats {
  all: LanguageStats;
  en: LanguageStats;
  es: LanguageStats;
}

export interface DueReminders {
  guildId: string;
  reminderHours: number;
  requests: SupportRequest[];
}

export interface PurgeResult {
  requests: number;
  /** Threads of purged requests queued for deletion (guilds whose retention deletes conversations). */
  conversations: { guildId: string; threadId: string; number: number }[];
  pending: number;
  blocks: number;
  audit: number;
}

/** Seconds since the epoch, the unit of Discord's `<t:…>` timestamps used in messages. */
const unixSeconds = (ms: number) => Math.floor(ms / 1000);

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Support requests as a state machine: pending → open ⇄ waiting → closed → open (reopen).
 * Every change is one synchronous transaction that re-reads the row, checks who may do it and
 * from which status, updates it conditionally and appends an audit entry. No text is stored.
 */
export class SupportService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly settings: GuildSettingsService,
  ) {}

  /** Fast synchronous checks done before showing the modal and again inside `reserve`. */
  checkCanOpen(guildId: string, userId: string): OpenCheck {
    const now = this.clock.now();
    const block = this.activeBlock(guildId, userId);
    if (block) return { kind: 'blocked', until: block.expiresAt };
    const existing = this.db
      .select()
      .from(supportRequests)
      .where(and(eq(supportRequests.guildId, guildId), eq(supportRequests.requesterId, userId), ne(supportRequests.status, 'closed')))
      .get();
    if (existing) {
      if (existing.status === 'pending' && existing.createdAt < now - PENDING_TTL_MS) {
        this.db.delete(supportRequests).where(and(eq(supportRequests.id, existing.id), eq(supportRequests.status, 'pending'))).run();
      } else {
        return { kind: 'alreadyOpen', request: existing };
      }
    }
    const recent = this.db
      .select({ createdAt: supportRequests.createdAt })
      .from(supportRequests)
      .where(
        and(
          eq(supportRequests.guildId, guildId),
          eq(supportRequests.requesterId, userId),
          gt(supportRequests.createdAt, now - RATE_LIMIT.windowMs),
        ),
      )
      .all();
    // Requests of a member who erased their data still count, through their rate marks.
    const marks = this.db
      .select({ createdAt: supportRateMarks.createdAt })
      .from(supportRateMarks)
      .where(and(eq(supportRateMarks.guildId, guildId), eq(supportRateMarks.userId, userId), gt(supportRateMarks.createdAt, now - RATE_LIMIT.windowMs)))
      .all();
    recent.push(...marks);
    recent.sort((a, b) => a.createdAt - b.createdAt);
    if (recent.length >= RATE_LIMIT.max) {
      return { kind: 'rateLimited', retryAt: recent[recent.length - RATE_LIMIT.max]!.createdAt + RATE_LIMIT.windowMs };
    }
    return { kind: 'ok' };
  }

  /** The DomainError a member sees for a refused check. */
  static refusal(check: Exclude<OpenCheck, { kind: 'ok' }>): DomainError {
    switch (check.kind) {
      case 'blocked':
        return new DomainError('support.errors.blocked', { until: unixSeconds(check.until) });
      case 'alreadyOpen':
        return check.request.threadId
          ? new DomainError('support.errors.alreadyOpen', {
              threadId: check.request.threadId,
              number: check.request.number,
            })
          : new DomainError('support.errors.beingCreated');
      case 'rateLimited':
        return new DomainError('support.errors.rateLimited', { retryAt: unixSeconds(check.retryAt) });
    }
  }

  static validateInput(input: NewRequestInput): { topic: Topic; language: Language; urgent: boolean } {
    if (!(TOPICS as readonly string[]).includes(input.topic)) {
      throw new DomainError('support.errors.invalidChoice', { value: input.topic.slice(0, 40) });
    }
    if (!isLanguage(input.language)) throw new DomainError('support.errors.invalidChoice', { value: input.language.slice(0, 40) });
    return { topic: input.topic as Topic, language: input.language, urgent: input.urgent };
  }

  /**
   * Reserves the next number and a `pending` row before any Discord call, so the one-open-request
   * rule and the sequence hold under concurrent submits. The caller attaches the thread or discards.
   */
  reserve(guildId: string, userId: string, input: NewRequestInput): SupportRequest {
    const valid = SupportService.validateInput(input);
    return this.db.transaction(
      () => {
        const check = this.checkCanOpen(guildId, userId);
        if (check.kind !== 'ok') throw SupportService.refusal(check);
        const now = this.clock.now();
        const counter = this.db
          .insert(supportCounters)
          .values({ guildId, lastNumber: 1 })
          .onConflictDoUpdate({ target: supportCounters.guildId, set: { lastNumber: sql`${supportCounters.lastNumber} + 1` } })
          .returning()
          .get();
        const request = this.db
          .insert(supportRequests)
          .values({
            guildId,
            number: counter.lastNumber,
            requesterId: userId,
            topic: valid.topic,
            language: valid.language,
            urgent: valid.urgent,
            status: 'pending',
            createdAt: now,
            updatedAt: now,
            awaitingStaffSince: now,
          })
          .returning()
          .get();
        this.appendAudit(request, userId, 'opened', { toStatus: 'open' });
        return request;
      },
      { behavior: 'immediate' },
    );
  }

  /** The thread exists and the intake message is posted: the request is open. */
  attachThread(requestId: number, threadId: string, intakeMessageId: string | null): SupportRequest {
    const row = this.db
      .update(supportRequests)
      .set({ threadId, intakeMessageId, status: 'open', updatedAt: this.clock.now() })
      .where(and(eq(supportRequests.id, requestId), eq(supportRequests.status, 'pending')))
      .returning()
      .get();
    if (!row) throw new Error(`support request ${requestId} is not pending`);
    return row;
  }

  /** Creation failed: remove the reservation (and its audit entry) so nothing half-made remains. */
  discard(requestId: number): void {
    this.db.delete(supportRequests).where(and(eq(supportRequests.id, requestId), eq(supportRequests.status, 'pending'))).run();
  }

  setTriageMessage(requestId: number, messageId: string): void {
    this.db.update(supportRequests).set({ triageMessageId: messageId }).where(eq(supportRequests.id, requestId)).run();
  }

  get(guildId: string, requestId: number): SupportRequest {
    const row = this.db
      .select()
      .from(supportRequests)
      .where(and(eq(supportRequests.guildId, guildId), eq(supportRequests.id, requestId)))
      .get();
    if (!row || row.status === 'pending') throw new DomainError('triage.errors.notFound');
    return row;
  }

  findByThread(guildId: string, threadId: string): SupportRequest | undefined {
    const row = this.db
      .select()
      .from(supportRequests)
      .where(and(eq(supportRequests.guildId, guildId), eq(supportRequests.threadId, threadId)))
      .get();
    return row && row.status !== 'pending' ? row : undefined;
  }

  /** The request of the thread a command is used in, or a DomainError saying where to use it. */
  getByThread(guildId: string, threadId: string | null): SupportRequest {
    const row = threadId ? this.findByThread(guildId, threadId) : undefined;
    if (!row) throw new DomainError('triage.errors.notInThread');
    return row;
  }

  /** A staff member joins the private thread (the Discord layer adds them after this succeeds). */
  join(guildId: string, requestId: number, actor: Actor): { request: SupportRequest; entry: AuditEntry | null } {
    return this.db.transaction(
      () => {
        const request = this.get(guildId, requestId);
        this.requireStaff(actor);
        this.requireActive(request);
        // Joining twice is harmless; one audit entry per staff member and request is enough.
        const seen = this.db
          .select({ id: supportAudit.id })
          .from(supportAudit)
          .where(
            and(
              eq(supportAudit.requestId, request.id),
              or(
                and(eq(supportAudit.action, 'joined'), eq(supportAudit.actorId, actor.userId)),
                and(eq(supportAudit.action, 'claimed'), eq(supportAudit.actorId, actor.userId)),
                and(eq(supportAudit.action, 'assigned'), eq(supportAudit.targetId, actor.userId)),
              ),
            ),
          )
          .get();
        if (seen) return { request, entry: null };
        return { request, entry: this.appendAudit(request, actor.userId, 'joined', {}) };
      },
      { behavior: 'immediate' },
    );
  }

  claim(guildId: string, requestId: number, actor: Actor): TransitionResult {
    return this.db.transaction(
      () => {
        const current = this.get(guildId, requestId);
        this.requireStaff(actor);
        this.requireActive(current);
        if (current.assigneeId === actor.userId) throw new DomainError('triage.errors.alreadyYours');
        if (current.assigneeId) throw new DomainError('triage.errors.alreadyClaimed', { userId: current.assigneeId });
        const request = this.conditionalUpdate(
          current,
          { assigneeId: actor.userId },
          and(inArray(supportRequests.status, ACTIVE), isNull(supportRequests.assigneeId)),
        );
        return { request, entry: this.appendAudit(request, actor.userId, 'claimed', { targetId: actor.userId }) };
      },
      { behavior: 'immediate' },
    );
  }

  assign(guildId: string, requestId: number, actor: Actor, assignee: { userId: string; staff: boolean }): TransitionResult {
    return this.db.transaction(
      () => {
        const current = this.get(guildId, requestId);
        this.requireStaff(actor);
        this.requireActive(current);
        if (!assignee.staff) throw new DomainError('triage.errors.assigneeNotStaff', { userId: assignee.userId });
        if (current.assigneeId === assignee.userId) {
          throw new DomainError('triage.errors.alreadyAssigned', { userId: assignee.userId });
        }
        const request = this.conditionalUpdate(current, { assigneeId: assignee.userId }, inArray(supportRequests.status, ACTIVE));
        return { request, entry: this.appendAudit(request, actor.userId, 'assigned', { targetId: assignee.userId }) };
      },
      { behavior: 'immediate' },
    );
  }

  setStatus(guildId: string, requestId: number, actor: Actor, to: 'open' | 'waiting'): TransitionResult {
    return this.db.transaction(
      () => {
        const current = this.get(guildId, requestId);
        this.requireStaff(actor);
        this.requireActive(current);
        if (current.status === to) throw new DomainError(`triage.errors.already.${to}`);
        const request = this.conditionalUpdate(current, { status: to }, eq(supportRequests.status, current.status));
        return {
          request,
          entry: this.appendAudit(request, actor.userId, 'status', { fromStatus: current.status, toStatus: to }),
        };
      },
      { behavior: 'immediate' },
    );
  }

  /** Staff, or the requester for their own request. */
  close(guildId: string, requestId: number, actor: Actor): TransitionResult {
    return this.db.transaction(
      () => {
        const current = this.get(guildId, requestId);
        this.requireStaffOrRequester(actor, current);
        if (current.status === 'closed') throw new DomainError('triage.errors.already.closed');
        const request = this.conditionalUpdate(
          current,
          { status: 'closed', closedAt: this.clock.now(), awaitingStaffSince: null },
          inArray(supportRequests.status, ACTIVE),
        );
        return {
          request,
          entry: this.appendAudit(request, actor.userId, 'closed', { fromStatus: current.status, toStatus: 'closed' }),
        };
      },
      { behavior: 'immediate' },
    );
  }

  /** The thread was deleted in Discord: close its request (audited without an actor). */
  closeForDeletedThread(guildId: string, threadId: string): SupportRequest | null {
    return this.db.transaction(
      () => {
        const current = this.findByThread(guildId, threadId);
        if (!current || current.status === 'closed') return null;
        const request = this.db
          .update(supportRequests)
          .set({ status: 'closed', closedAt: this.clock.now(), awaitingStaffSince: null, updatedAt: this.clock.now() })
          .where(and(eq(supportRequests.id, current.id), inArray(supportRequests.status, ACTIVE)))
          .returning()
          .get();
        if (!request) return null;
        this.appendAudit(request, null, 'closed', { fromStatus: current.status, toStatus: 'closed' });
        return request;
      },
      { behavior: 'immediate' },
    );
  }

  /** When a requester who reopened RATE_LIMIT.max requests in the window may reopen again; null if now. */
  private reopenRetryAt(guildId: string, userId: string, now: number): number | null {
    const recent = this.db
      .select({ createdAt: supportAudit.createdAt })
      .from(supportAudit)
      .where(
        and(
          eq(supportAudit.guildId, guildId),
          eq(supportAudit.actorId, userId),
          eq(supportAudit.action, 'reopened'),
          gt(supportAudit.createdAt, now - RATE_LIMIT.windowMs),
        ),
      )
      .orderBy(asc(supportAudit.createdAt))
      .all();
    return recent.length >= RATE_LIMIT.max ? recent[recent.length - RATE_LIMIT.max]!.createdAt + RATE_LIMIT.windowMs : null;
  }

  /** Staff, or the requester (unless blocked, rate-limited, and only while they have no other open request). */
  reopen(guildId: string, requestId: number, actor: Actor): TransitionResult {
    try {
      return this.db.transaction(
        () => {
          const current = this.get(guildId, requestId);
          this.requireStaffOrRequester(actor, current);
          if (current.status !== 'closed') throw new DomainError('triage.errors.notClosed');
          // Its conversation was deleted: there is nothing to reopen (a new request starts fresh).
          if (!current.threadId) throw new DomainError('support.conversation.errors.cannotReopen', { number: current.number });
          const byRequester = actor.userId === current.requesterId;
          if (byRequester) {
            const block = this.activeBlock(guildId, actor.userId);
            if (block) throw new DomainError('support.errors.blocked', { until: unixSeconds(block.expiresAt) });
          }
          const now = this.clock.now();
          // Each reopen posts to the mod log: a requester gets the same budget as for new requests.
          if (byRequester) {
            const retryAt = this.reopenRetryAt(guildId, actor.userId, now);
            if (retryAt !== null) throw new DomainError('support.errors.reopenRateLimited', { retryAt: unixSeconds(retryAt) });
          }
          const request = this.conditionalUpdate(
            current,
            {
              status: 'open',
              closedAt: null,
              lastRemindedAt: null,
              // A member reopening is waiting for the team again.
              awaitingStaffSince: byRequester ? now : current.awaitingStaffSince,
            },
            eq(supportRequests.status, 'closed'),
          );
          return {
            request,
            entry: this.appendAudit(request, actor.userId, 'reopened', { fromStatus: 'closed', toStatus: 'open' }),
          };
        },
        { behavior: 'immediate' },
      );
    } catch (error) {
      // The partial unique index: the requester opened another request since this one closed.
      if (isUniqueViolation(error)) throw new DomainError('triage.errors.requesterHasOpen');
      throw error;
    }
  }

  activeBlock(guildId: string, userId: string): typeof supportBlocks.$inferSelect | undefined {
    return this.db
      .select()
      .from(supportBlocks)
      .where(and(eq(supportBlocks.guildId, guildId), eq(supportBlocks.userId, userId), gt(supportBlocks.expiresAt, this.clock.now())))
      .get();
  }

  block(guildId: string, actor: Actor, target: { userId: string; staff: boolean }, days: number = BLOCK_DAYS.default) {
    if (!actor.moderator) throw new DomainError('triage.errors.moderatorOnly');
    if (!Number.isInteger(days) || days < BLOCK_DAYS.min || days > BLOCK_DAYS.max) {
      throw new DomainError('errors.outOfRange', { value: days, min: BLOCK_DAYS.min, max: BLOCK_DAYS.max });
    }
    if (target.userId === actor.userId) throw new DomainError('triage.errors.cannotBlockSelf');
    if (target.staff) throw new DomainError('triage.errors.cannotBlockStaff');
    const now = this.clock.now();
    const expiresAt = now + days * DAY_MS;
    return this.db.transaction(
      () => {
        const row = this.db
          .insert(supportBlocks)
          .values({ guildId, userId: target.userId, blockedBy: actor.userId, createdAt: now, expiresAt })
          .onConflictDoUpdate({
            target: [supportBlocks.guildId, supportBlocks.userId],
            set: { blockedBy: actor.userId, createdAt: now, expiresAt },
          })
          .returning()
          .get();
        const entry = this.insertAudit({ guildId, actorId: actor.userId, action: 'blocked', targetId: target.userId });
        return { block: row, entry };
      },
      { behavior: 'immediate' },
    );
  }

  unblock(guildId: string, actor: Actor, userId: string): { entry: AuditEntry } {
    if (!actor.moderator) throw new DomainError('triage.errors.moderatorOnly');
    return this.db.transaction(
      () => {
        const active = this.activeBlock(guildId, userId);
        this.db.delete(supportBlocks).where(and(eq(supportBlocks.guildId, guildId), eq(supportBlocks.userId, userId))).run();
        if (!active) throw new DomainError('triage.errors.notBlocked', { userId });
        return { entry: this.insertAudit({ guildId, actorId: actor.userId, action: 'unblocked', targetId: userId }) };
      },
      { behavior: 'immediate' },
    );
  }

  /**
   * Open before waiting, urgent before not, then oldest first. Closed requests (when asked for)
   * are listed most recently closed first.
   */
  queue(guildId: string, filter: { status?: QueueStatus | null; language?: Language | null }, page = 0): QueuePage {
    const statuses: RequestStatus[] = filter.status ? [filter.status] : ACTIVE;
    const where = and(
      eq(supportRequests.guildId, guildId),
      inArray(supportRequests.status, statuses),
      filter.language ? eq(supportRequests.language, filter.language) : undefined,
    );
    const total = this.db.select({ value: count() }).from(supportRequests).where(where).get()?.value ?? 0;
    const pages = Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE));
    const current = Math.min(Math.max(0, Math.trunc(page)), pages - 1);
    const order =
      filter.status === 'closed'
        ? [desc(supportRequests.closedAt), desc(supportRequests.number)]
        : [
            sql`case ${supportRequests.status} when 'open' then 0 else 1 end`,
            desc(supportRequests.urgent),
            asc(supportRequests.createdAt),
            asc(supportRequests.number),
          ];
    const items = this.db
      .select()
      .from(supportRequests)
      .where(where)
      .orderBy(...order)
      .limit(QUEUE_PAGE_SIZE)
      .offset(current * QUEUE_PAGE_SIZE)
      .all();
    return { items, total, page: current, pages };
  }

  /** Counts now and over the last 30 days, with median times, overall and per language. */
  stats(guildId: string): SupportStats {
    const since = this.clock.now() - STATS_WINDOW_MS;
    const rows = this.db
      .select({
        language: supportRequests.language,
        status: supportRequests.status,
        createdAt: supportRequests.createdAt,
        firstStaffReplyAt: supportRequests.firstStaffReplyAt,
        closedAt: supportRequests.closedAt,
      })
      .from(supportRequests)
      .where(
        and(
          eq(supportRequests.guildId, guildId),
          or(inArray(supportRequests.status, ACTIVE), gte(supportRequests.createdAt, since), gte(supportRequests.closedAt, since)),
        ),
      )
      .all();
    const summarise = (language?: Language): LanguageStats => {
      const mine = rows.filter((row) => !language || row.language === language);
      const closedRecently = mine.filter((row) => row.status === 'closed' && row.closedAt !== null && row.closedAt >= since);
      return {
        open: mine.filter((row) => row.status === 'open').length,
        waiting: mine.filter((row) => row.status === 'waiting').length,
        closed: closedRecently.length,
        medianFirstReplyMs: median(
          mine
            .filter((row) => row.createdAt >= since && row.firstStaffReplyAt !== null)
            .map((row) => row.firstStaffReplyAt! - row.createdAt),
        ),
        medianCloseMs: median(closedRecently.map((row) => row.closedAt! - row.createdAt)),
      };
    };
    return { all: summarise(), en: summarise('en'), es: summarise('es') };
  }

  /**
   * Someone posted in a thread (author id only, never the text). Returns who it was for a support
   * thread, or null. Anyone but the requester in a private support thread is staff: only the team,
   * people with Manage Threads and the requester can see it.
   */
  recordMessage(guildId: string, threadId: string, authorId: string): 'staff' | 'requester' | null {
    const request = this.findByThread(guildId, threadId);
    if (!request || request.status === 'closed') return null;
    const now = this.clock.now();
    if (authorId === request.requesterId) {
      if (request.awaitingStaffSince === null) {
        this.db
          .update(supportRequests)
          .set({ awaitingStaffSince: now })
          .where(and(eq(supportRequests.id, request.id), isNull(supportRequests.awaitingStaffSince)))
          .run();
      }
      return 'requester';
    }
    this.db
      .update(supportRequests)
      .set({
        awaitingStaffSince: null,
        lastRemindedAt: null,
        firstStaffReplyAt: sql`coalesce(${supportRequests.firstStaffReplyAt}, ${now})`,
      })
      .where(eq(supportRequests.id, request.id))
      .run();
    return 'staff';
  }

  /**
   * Open requests whose member has waited for a staff reply longer than the guild's reminder
   * hours, and that were not reminded within that interval.
   */
  dueReminders(): DueReminders[] {
    const now = this.clock.now();
    const guildIds = this.db
      .selectDistinct({ guildId: supportRequests.guildId })
      .from(supportRequests)
      .where(and(eq(supportRequests.status, 'open'), isNotNull(supportRequests.awaitingStaffSince)))
      .all()
      .map((row) => row.guildId);
    const due: DueReminders[] = [];
    for (const guildId of guildIds) {
      const reminderHours = this.settings.get(guildId).reminderHours;
      const cutoff = now - reminderHours * HOUR_MS;
      const requests = this.db
        .select()
        .from(supportRequests)
        .where(
          and(
            eq(supportRequests.guildId, guildId),
            eq(supportRequests.status, 'open'),
            lte(supportRequests.awaitingStaffSince, cutoff),
            or(isNull(supportRequests.lastRemindedAt), lte(supportRequests.lastRemindedAt, cutoff)),
          ),
        )
        .orderBy(desc(supportRequests.urgent), asc(supportRequests.awaitingStaffSince))
        .all();
      if (requests.length > 0) due.push({ guildId, reminderHours, requests });
    }
    return due;
  }

  markReminded(requestIds: number[]): void {
    if (requestIds.length === 0) return;
    this.db.update(supportRequests).set({ lastRemindedAt: this.clock.now() }).where(inArray(supportRequests.id, requestIds)).run();
  }

  /**
   * Retention: closed requests (with their audit) past each guild's retention days, block audit
   * entries as old, expired blocks, and reservations left by a crash mid-creation.
   */
  purge(): PurgeResult {
    const now = this.clock.now();
    return this.db.transaction(
      () => {
        const result: PurgeResult = { requests: 0, conversations: [], pending: 0, blocks: 0, audit: 0 };
        const guildIds = new Set([
          ...this.db.selectDistinct({ guildId: supportRequests.guildId }).from(supportRequests).where(eq(supportRequests.status, 'closed')).all(),
          ...this.db.selectDistinct({ guildId: supportAudit.guildId }).from(supportAudit).where(isNull(supportAudit.requestId)).all(),
        ].map((row) => row.guildId));
        for (const guildId of guildIds) {
          const settings = this.settings.get(guildId);
          const cutoff = now - settings.retentionDays * DAY_MS;
          if (settings.retentionConversations === 'delete') {
            // Queued in the same transaction, so a crash cannot drop a thread the rows no longer name.
            const threads = this.db
              .select({ threadId: supportRequests.threadId, number: supportRequests.number })
              .from(supportRequests)
              .where(
                and(eq(supportRequests.guildId, guildId), eq(supportRequests.status, 'closed'), lt(supportRequests.closedAt, cutoff), isNotNull(supportRequests.threadId)),
              )
              .all();
            for (const { threadId, number } of threads) {
              this.db.insert(supportThreadDeletions).values({ guildId, threadId: threadId! }).onConflictDoNothing().run();
              result.conversations.push({ guildId, threadId: threadId!, number });
            }
          }
          result.requests += this.db
            .delete(supportRequests)
            .where(and(eq(supportRequests.guildId, guildId), eq(supportRequests.status, 'closed'), lt(supportRequests.closedAt, cutoff)))
            .run().changes;
          result.audit += this.db
            .delete(supportAudit)
            .where(and(eq(supportAudit.guildId, guildId), isNull(supportAudit.requestId), lt(supportAudit.createdAt, cutoff)))
            .run().changes;
        }
        result.pending = this.db
          .delete(supportRequests)
          .where(and(eq(supportRequests.status, 'pending'), lt(supportRequests.createdAt, now - PENDING_TTL_MS)))
          .run().changes;
        result.blocks = this.db.delete(supportBlocks).where(lte(supportBlocks.expiresAt, now)).run().changes;
        this.db.delete(supportRateMarks).where(lte(supportRateMarks.createdAt, now - RATE_LIMIT.windowMs)).run();
        return result;
      },
      { behavior: 'immediate' },
    );
  }

  auditTrail(guildId: string, requestId: number): AuditEntry[] {
    return this.db
      .select()
      .from(supportAudit)
      .where(and(eq(supportAudit.guildId, guildId), eq(supportAudit.requestId, requestId)))
      .orderBy(asc(supportAudit.id))
      .all();
  }

  private requireStaff(actor: Actor): void {
    if (!actor.staff) throw new DomainError('errors.staffOnly');
  }

  private requireStaffOrRequester(actor: Actor, request: SupportRequest): void {
    if (!actor.staff && actor.userId !== request.requesterId) throw new DomainError('triage.errors.notYours');
  }

  private requireActive(request: SupportRequest): void {
    if (request.status === 'closed') throw new DomainError('triage.errors.closed', { number: request.number });
  }

  /** One conditional UPDATE … RETURNING; a row changed in between (another process) is reported. */
  private conditionalUpdate(
    current: SupportRequest,
    set: Partial<typeof supportRequests.$inferInsert>,
    condition: ReturnType<typeof and>,
  ): SupportRequest {
    const row = this.db
      .update(supportRequests)
      .set({ ...set, updatedAt: this.clock.now() })
      .where(and(eq(supportRequests.id, current.id), condition))
      .returning()
      .get();
    if (!row) throw new DomainError('triage.errors.changed');
    return row;
  }

  private appendAudit(
    request: SupportRequest,
    actorId: string | null,
    action: AuditAction,
    details: { fromStatus?: string; toStatus?: string; targetId?: string },
  ): AuditEntry {
    return this.insertAudit({ guildId: request.guildId, requestId: request.id, number: request.number, actorId, action, ...details });
  }

  private insertAudit(entry: Omit<typeof supportAudit.$inferInsert, 'createdAt' | 'id'>): AuditEntry {
    return this.db
      .insert(supportAudit)
      .values({ ...entry, createdAt: this.clock.now() })
      .returning()
      .get();
  }
}

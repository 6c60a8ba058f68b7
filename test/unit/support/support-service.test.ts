import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/client.js';
import { supportAudit, supportRequests, supportThreadDeletions } from '../../../src/db/schema/index.js';
import { DomainError } from '../../../src/domain/errors.js';
import { GuildSettingsService } from '../../../src/domain/guild-settings.js';
import { RATE_LIMIT, SupportService, type Actor, type NewRequestInput, type SupportRequest } from '../../../src/domain/support/index.js';
import { closeDatabase, createTestDb, DAY, FakeClock, HOUR, MINUTE } from '../../support/test-db.js';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const member = (n: number): Actor => ({ userId: `20000000000000000${n}`, staff: false });
const staff = (n: number, moderator = false): Actor => ({ userId: `30000000000000000${n}`, staff: true, moderator });
const input = (overrides: Partial<NewRequestInput> = {}): NewRequestInput => ({ topic: 'asylum', language: 'en', urgent: false, ...overrides });

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('SupportService', () => {
  let db: Db;
  let clock: FakeClock;
  let settings: GuildSettingsService;
  let support: SupportService;
  let threadSeq = 0;

  /** A request as the Discord layer makes one: reserve, then attach the created thread. */
  function open(actor: Actor, overrides: Partial<NewRequestInput> = {}, guildId = GUILD): SupportRequest {
    const reserved = support.reserve(guildId, actor.userId, input(overrides));
    threadSeq += 1;
    return support.attachThread(reserved.id, `90000000000000${String(threadSeq).padStart(4, '0')}`, `91000000000000${threadSeq}`);
  }

  const actions = (request: SupportRequest) => support.auditTrail(GUILD, request.id).map((entry) => entry.action);

  beforeEach(() => {
    db = createTestDb();
    clock = new FakeClock();
    settings = new GuildSettingsService(db, clock);
    support = new SupportService(db, clock, settings);
  });
  afterEach(() => closeDatabase(db));

  describe('opening', () => {
    it('numbers requests per guild, never reusing a number, and names threads neutrally', () => {
      const a = open(member(1));
      const b = open(member(2));
      const c = open(member(1), {}, OTHER_GUILD);
      expect([a.number, b.number, c.number]).toEqual([1, 2, 1]);
      // A discarded reservation burns its number; the next request does not reuse it.
      const reserved = support.reserve(GUILD, member(3).userId, input());
      support.discard(reserved.id);
      expect(open(member(4)).number).toBe(4);
      expect(a.status).toBe('open');
      expect(a.threadId).toMatch(/^9/);
    });

    it('keeps one open request per member: the check links the open one, the database refuses a second', () => {
      const first = open(member(1));
      const check = support.checkCanOpen(GUILD, member(1).userId);
      expect(check).toMatchObject({ kind: 'alreadyOpen', request: { id: first.id } });
      expect(codeOf(() => support.reserve(GUILD, member(1).userId, input()))).toBe('support.errors.alreadyOpen');
      // Even bypassing the check, the partial unique index holds.
      expect(() =>
        db
          .insert(supportRequests)
          .values({ guildId: GUILD, number: 99, requesterId: member(1).userId, topic: 'other', language: 'en', status: 'open', createdAt: 1, updatedAt: 1 })
          .run(),
      ).toThrow(/UNIQUE/);
      // Another member, and the same member in another guild, are unaffected.
      expect(support.checkCanOpen(GUILD, member(2).userId).kind).toBe('ok');
      expect(support.checkCanOpen(OTHER_GUILD, member(1).userId).kind).toBe('ok');
    });

    it('allows a new request once the previous one is closed, up to the rate limit', () => {
      for (let i = 0; i < RATE_LIMIT.max; i++) {
        const request = open(member(1));
        support.close(GUILD, request.id, member(1));
        clock.advance(MINUTE);
      }
      const check = support.checkCanOpen(GUILD, member(1).userId);
      expect(check.kind).toBe('rateLimited');
      expect(codeOf(() => support.reserve(GUILD, member(1).userId, input()))).toBe('support.errors.rateLimited');
      if (check.kind === 'rateLimited') {
        clock.set(check.retryAt);
        expect(support.checkCanOpen(GUILD, member(1).userId).kind).toBe('ok');
      }
    });

    it('refuses blocked members until the block expires', () => {
      support.block(GUILD, staff(1, true), { userId: member(1).userId, staff: false }, 2);
      expect(support.checkCanOpen(GUILD, member(1).userId).kind).toBe('blocked');
      expect(codeOf(() => support.reserve(GUILD, member(1).userId, input()))).toBe('support.errors.blocked');
      clock.advance(2 * DAY);
      expect(support.checkCanOpen(GUILD, member(1).userId).kind).toBe('ok');
    });

    it('validates the form choices', () => {
      expect(codeOf(() => support.reserve(GUILD, member(1).userId, input({ topic: 'taxes' })))).toBe('support.errors.invalidChoice');
      expect(codeOf(() => support.reserve(GUILD, member(1).userId, input({ language: 'fr' })))).toBe('support.errors.invalidChoice');
      expect(db.select().from(supportRequests).all()).toHaveLength(0);
    });

    it('a discarded reservation leaves nothing behind, and a stale one stops blocking the member', () => {
      const reserved = support.reserve(GUILD, member(1).userId, input());
      expect(support.checkCanOpen(GUILD, member(1).userId).kind).toBe('alreadyOpen');
      support.discard(reserved.id);
      expect(db.select().from(supportRequests).all()).toHaveLength(0);
      expect(db.select().from(supportAudit).all()).toHaveLength(0);

      support.reserve(GUILD, member(2).userId, input());
      clock.advance(11 * MINUTE);
      expect(support.checkCanOpen(GUILD, member(2).userId).kind).toBe('ok');
    });

    it('hides pending reservations from lookups and the queue', () => {
      const reserved = support.reserve(GUILD, member(1).userId, input());
      expect(codeOf(() => support.get(GUILD, reserved.id))).toBe('triage.errors.notFound');
      expect(support.queue(GUILD, {}).total).toBe(0);
    });
  });

  describe('transitions', () => {
    it('claim: staff only, once, and recorded', () => {
      const request = open(member(1));
      expect(codeOf(() => support.claim(GUILD, request.id, member(2)))).toBe('errors.staffOnly');
      expect(codeOf(() => support.claim(GUILD, request.id, member(1)))).toBe('errors.staffOnly');
      const { request: claimed, entry } = support.claim(GUILD, request.id, staff(1));
      expect(claimed.assigneeId).toBe(staff(1).userId);
      expect(entry).toMatchObject({ action: 'claimed', actorId: staff(1).userId, targetId: staff(1).userId, number: request.number });
      expect(codeOf(() => support.claim(GUILD, request.id, staff(1)))).toBe('triage.errors.alreadyYours');
      expect(codeOf(() => support.claim(GUILD, request.id, staff(2)))).toBe('triage.errors.alreadyClaimed');
    });

    it('assign: only to staff, not twice to the same person', () => {
      const request = open(member(1));
      expect(codeOf(() => support.assign(GUILD, request.id, staff(1), { userId: member(2).userId, staff: false }))).toBe(
        'triage.errors.assigneeNotStaff',
      );
      expect(codeOf(() => support.assign(GUILD, request.id, member(3), { userId: staff(2).userId, staff: true }))).toBe('errors.staffOnly');
      const { request: assigned } = support.assign(GUILD, request.id, staff(1), { userId: staff(2).userId, staff: true });
      expect(assigned.assigneeId).toBe(staff(2).userId);
      expect(codeOf(() => support.assign(GUILD, request.id, staff(1), { userId: staff(2).userId, staff: true }))).toBe(
        'triage.errors.alreadyAssigned',
      );
      // Reassigning to someone else is allowed (claim is not: it would take the request silently).
      expect(support.assign(GUILD, request.id, staff(1), { userId: staff(3).userId, staff: true }).request.assigneeId).toBe(staff(3).userId);
    });

    it('status: open ⇄ waiting by staff, never the same status twice, never on a closed request', () => {
      const request = open(member(1));
      expect(codeOf(() => support.setStatus(GUILD, request.id, staff(1), 'open'))).toBe('triage.errors.already.open');
      expect(codeOf(() => support.setStatus(GUILD, request.id, member(1), 'waiting'))).toBe('errors.staffOnly');
      const { entry } = support.setStatus(GUILD, request.id, staff(1), 'waiting');
      expect(entry).toMatchObject({ action: 'status', fromStatus: 'open', toStatus: 'waiting' });
      expect(codeOf(() => support.setStatus(GUILD, request.id, staff(1), 'waiting'))).toBe('triage.errors.already.waiting');
      expect(support.setStatus(GUILD, request.id, staff(1), 'open').request.status).toBe('open');
      support.close(GUILD, request.id, staff(1));
      expect(codeOf(() => support.setStatus(GUILD, request.id, staff(1), 'waiting'))).toBe('triage.errors.closed');
      expect(codeOf(() => support.claim(GUILD, request.id, staff(1)))).toBe('triage.errors.closed');
      expect(codeOf(() => support.join(GUILD, request.id, staff(1)))).toBe('triage.errors.closed');
    });

    it('close: by staff or the requester only, not twice; reopen: only a closed request', () => {
      const request = open(member(1));
      expect(codeOf(() => support.close(GUILD, request.id, member(2)))).toBe('triage.errors.notYours');
      expect(codeOf(() => support.reopen(GUILD, request.id, staff(1)))).toBe('triage.errors.notClosed');
      clock.advance(3 * HOUR);
      const { request: closed } = support.close(GUILD, request.id, member(1));
      expect(closed).toMatchObject({ status: 'closed', closedAt: clock.now() });
      expect(codeOf(() => support.close(GUILD, request.id, staff(1)))).toBe('triage.errors.already.closed');
      expect(codeOf(() => support.reopen(GUILD, request.id, member(2)))).toBe('triage.errors.notYours');
      const { request: reopened } = support.reopen(GUILD, request.id, member(1));
      expect(reopened).toMatchObject({ status: 'open', closedAt: null });
      expect(actions(request)).toEqual(['opened', 'closed', 'reopened']);
    });

    it('reopen by the requester is refused while blocked or with another open request', () => {
      const first = open(member(1));
      support.close(GUILD, first.id, staff(1));
      open(member(1));
      expect(codeOf(() => support.reopen(GUILD, first.id, member(1)))).toBe('triage.errors.requesterHasOpen');
      expect(codeOf(() => support.reopen(GUILD, first.id, staff(1)))).toBe('triage.errors.requesterHasOpen');

      const other = open(member(2));
      support.close(GUILD, other.id, member(2));
      support.block(GUILD, staff(1, true), { userId: member(2).userId, staff: false }, 1);
      expect(codeOf(() => support.reopen(GUILD, other.id, member(2)))).toBe('support.errors.blocked');
      // Staff may still reopen it (e.g. to follow up).
      expect(support.reopen(GUILD, other.id, staff(1)).request.status).toBe('open');
    });

    it('join is staff only and audited once per staff member', () => {
      const request = open(member(1));
      expect(codeOf(() => support.join(GUILD, request.id, member(2)))).toBe('errors.staffOnly');
      expect(support.join(GUILD, request.id, staff(1)).entry?.action).toBe('joined');
      expect(support.join(GUILD, request.id, staff(1)).entry).toBeNull();
      support.claim(GUILD, request.id, staff(2));
      expect(support.join(GUILD, request.id, staff(2)).entry).toBeNull();
      expect(actions(request)).toEqual(['opened', 'joined', 'claimed']);
    });

    it('every audit entry has who, what and when, and no text', () => {
      const request = open(member(1));
      clock.advance(MINUTE);
      support.claim(GUILD, request.id, staff(1));
      clock.advance(MINUTE);
      support.close(GUILD, request.id, staff(1));
      const trail = support.auditTrail(GUILD, request.id);
      expect(trail.map(({ action, actorId, createdAt }) => ({ action, actorId, createdAt }))).toEqual([
        { action: 'opened', actorId: member(1).userId, createdAt: clock.now() - 2 * MINUTE },
        { action: 'claimed', actorId: staff(1).userId, createdAt: clock.now() - MINUTE },
        { action: 'closed', actorId: staff(1).userId, createdAt: clock.now() },
      ]);
      expect(Object.keys(trail[0]!).sort()).toEqual(
        ['action', 'actorId', 'createdAt', 'fromStatus', 'guildId', 'id', 'number', 'requestId', 'targetId', 'toStatus'].sort(),
      );
    });

    it('a transition in another guild finds nothing', () => {
      const request = open(member(1));
      expect(codeOf(() => support.claim(OTHER_GUILD, request.id, staff(1)))).toBe('triage.errors.notFound');
    });

    it('a deleted thread closes its request so the member can open a new one', () => {
      const request = open(member(1));
      expect(support.closeForDeletedThread(GUILD, request.threadId!)?.status).toBe('closed');
      expect(support.closeForDeletedThread(GUILD, request.threadId!)).toBeNull();
      expect(support.checkCanOpen(GUILD, member(1).userId).kind).toBe('ok');
      expect(support.auditTrail(GUILD, request.id).at(-1)).toMatchObject({ action: 'closed', actorId: null });
    });

    it('blocks: moderators only, never staff or oneself, expiring, and unblock needs an active block', () => {
      const target = { userId: member(1).userId, staff: false };
      expect(codeOf(() => support.block(GUILD, staff(1), target, 3))).toBe('triage.errors.moderatorOnly');
      expect(codeOf(() => support.block(GUILD, staff(1, true), { userId: staff(2).userId, staff: true }, 3))).toBe('triage.errors.cannotBlockStaff');
      expect(codeOf(() => support.block(GUILD, staff(1, true), { userId: staff(1).userId, staff: false }, 3))).toBe('triage.errors.cannotBlockSelf');
      expect(codeOf(() => support.block(GUILD, staff(1, true), target, 0))).toBe('errors.outOfRange');
      const { block, entry } = support.block(GUILD, staff(1, true), target, 3);
      expect(block.expiresAt).toBe(clock.now() + 3 * DAY);
      expect(entry).toMatchObject({ action: 'blocked', targetId: target.userId, requestId: null });
      support.unblock(GUILD, staff(1, true), target.userId);
      expect(codeOf(() => support.unblock(GUILD, staff(1, true), target.userId))).toBe('triage.errors.notBlocked');
      expect(support.checkCanOpen(GUILD, target.userId).kind).toBe('ok');
    });
  });

  describe('queue', () => {
    it('lists open before waiting, urgent before not, then oldest first', () => {
      const made: Record<string, SupportRequest> = {};
      const at = (label: string, n: number, overrides: Partial<NewRequestInput>) => {
        made[label] = open(member(n), overrides);
        clock.advance(MINUTE);
      };
      at('oldWaiting', 1, {});
      at('oldOpen', 2, {});
      at('urgentWaiting', 3, { urgent: true });
      at('newOpen', 4, { language: 'es' });
      at('urgentOpen', 5, { urgent: true, language: 'es' });
      at('closed', 6, {});
      support.setStatus(GUILD, made.oldWaiting!.id, staff(1), 'waiting');
      support.setStatus(GUILD, made.urgentWaiting!.id, staff(1), 'waiting');
      support.close(GUILD, made.closed!.id, staff(1));

      const labelOf = (id: number) => Object.entries(made).find(([, request]) => request.id === id)?.[0];
      expect(support.queue(GUILD, {}).items.map((item) => labelOf(item.id))).toEqual([
        'urgentOpen',
        'oldOpen',
        'newOpen',
        'urgentWaiting',
        'oldWaiting',
      ]);
      expect(support.queue(GUILD, { status: 'waiting' }).items.map((item) => labelOf(item.id))).toEqual(['urgentWaiting', 'oldWaiting']);
      expect(support.queue(GUILD, { language: 'es' }).items.map((item) => labelOf(item.id))).toEqual(['urgentOpen', 'newOpen']);
      expect(support.queue(GUILD, { status: 'closed' }).items.map((item) => labelOf(item.id))).toEqual(['closed']);
      expect(support.queue(OTHER_GUILD, {}).total).toBe(0);
    });

    it('pages ten at a time and clamps the page number', () => {
      for (let n = 0; n < 23; n++) {
        open({ userId: `4000000000000${String(n).padStart(5, '0')}`, staff: false });
        clock.advance(MINUTE);
      }
      const first = support.queue(GUILD, {}, 0);
      const last = support.queue(GUILD, {}, 2);
      expect([first.items.length, first.pages, first.total]).toEqual([10, 3, 23]);
      expect(last.items.map((item) => item.number)).toEqual([21, 22, 23]);
      expect(support.queue(GUILD, {}, 99).page).toBe(2);
      expect(support.queue(GUILD, {}, -4).page).toBe(0);
    });
  });

  describe('activity, reminders, stats, retention', () => {
    it('records who posted: staff replies stop the reminder clock, a member reply restarts it', () => {
      settings.setReminderHours(GUILD, 2);
      const request = open(member(1));
      expect(support.recordMessage(GUILD, 'not-a-support-thread', member(1).userId)).toBeNull();
      clock.advance(HOUR);
      expect(support.dueReminders()).toEqual([]);
      clock.advance(HOUR);
      expect(support.dueReminders()[0]).toMatchObject({ guildId: GUILD, reminderHours: 2, requests: [{ id: request.id }] });
      support.markReminded([request.id]);
      // Once per interval.
      clock.advance(HOUR);
      expect(support.dueReminders()).toEqual([]);
      clock.advance(HOUR);
      expect(support.dueReminders()).toHaveLength(1);

      expect(support.recordMessage(GUILD, request.threadId!, staff(1).userId)).toBe('staff');
      expect(support.get(GUILD, request.id).firstStaffReplyAt).toBe(clock.now());
      clock.advance(5 * HOUR);
      expect(support.dueReminders()).toEqual([]);

      expect(support.recordMessage(GUILD, request.threadId!, member(1).userId)).toBe('requester');
      clock.advance(2 * HOUR);
      expect(support.dueReminders()).toHaveLength(1);
      // A second staff reply does not move the first reply time.
      const first = support.get(GUILD, request.id).firstStaffReplyAt;
      support.recordMessage(GUILD, request.threadId!, staff(2).userId);
      expect(support.get(GUILD, request.id).firstStaffReplyAt).toBe(first);
    });

    it('does not remind about waiting or closed requests', () => {
      settings.setReminderHours(GUILD, 1);
      const waiting = open(member(1));
      const closed = open(member(2));
      support.setStatus(GUILD, waiting.id, staff(1), 'waiting');
      support.close(GUILD, closed.id, staff(1));
      clock.advance(3 * HOUR);
      expect(support.dueReminders()).toEqual([]);
    });

    it('computes counts and medians overall and per language over the last 30 days', () => {
      const start = clock.now();
      const make = (n: number, language: 'en' | 'es', replyAfter: number | null, closeAfter: number | null) => {
        clock.set(start);
        const request = open(member(n), { language });
        if (replyAfter !== null) {
          clock.set(start + replyAfter);
          support.recordMessage(GUILD, request.threadId!, staff(1).userId);
        }
        if (closeAfter !== null) {
          clock.set(start + closeAfter);
          support.close(GUILD, request.id, staff(1));
        }
        return request;
      };
      make(1, 'en', HOUR, 5 * HOUR);
      make(2, 'en', 3 * HOUR, 9 * HOUR);
      make(3, 'en', null, null);
      make(4, 'es', 2 * HOUR, null);
      const waiting = make(5, 'es', null, null);
      support.setStatus(GUILD, waiting.id, staff(1), 'waiting');
      clock.set(start + DAY);
      const stats = support.stats(GUILD);
      expect(stats.all).toEqual({ open: 2, waiting: 1, closed: 2, medianFirstReplyMs: 2 * HOUR, medianCloseMs: 7 * HOUR });
      expect(stats.en).toEqual({ open: 1, waiting: 0, closed: 2, medianFirstReplyMs: 2 * HOUR, medianCloseMs: 7 * HOUR });
      expect(stats.es).toEqual({ open: 1, waiting: 1, closed: 0, medianFirstReplyMs: 2 * HOUR, medianCloseMs: null });
      // Thirty-one days later the closed requests drop out; open ones still count.
      clock.set(start + 31 * DAY);
      expect(support.stats(GUILD).all).toMatchObject({ open: 2, waiting: 1, closed: 0, medianFirstReplyMs: null, medianCloseMs: null });
    });

    it('retention deletes closed requests and their audit after the configured days, nothing else', () => {
      settings.setRetentionDays(GUILD, 10);
      const closed = open(member(1));
      const stillOpen = open(member(2));
      support.close(GUILD, closed.id, staff(1));
      support.block(GUILD, staff(1, true), { userId: member(3).userId, staff: false }, 2);
      clock.advance(9 * DAY);
      expect(support.purge()).toEqual({ requests: 0, conversations: [], pending: 0, blocks: 1, audit: 0 });
      clock.advance(DAY + 1);
      // By default its thread (the conversation) is queued for deletion with it, by guild and thread id only.
      expect(support.purge()).toMatchObject({ requests: 1, audit: 1, conversations: [{ guildId: GUILD, threadId: closed.threadId, number: closed.number }] });
      expect(db.select().from(supportThreadDeletions).all()).toEqual([{ guildId: GUILD, threadId: closed.threadId }]);
      expect(db.select().from(supportRequests).where(eq(supportRequests.id, closed.id)).all()).toEqual([]);
      expect(db.select().from(supportAudit).where(eq(supportAudit.requestId, closed.id)).all()).toEqual([]);
      expect(support.get(GUILD, stillOpen.id).status).toBe('open');
      // The next number is still new.
      expect(open(member(4)).number).toBe(3);
    });

    it('retention with conversations:keep purges the metadata and leaves the thread alone', () => {
      settings.setRetentionDays(GUILD, 10);
      settings.setRetentionConversations(GUILD, 'keep');
      const closed = open(member(1));
      support.close(GUILD, closed.id, staff(1));
      clock.advance(11 * DAY);
      expect(support.purge()).toMatchObject({ requests: 1, conversations: [] });
      expect(db.select().from(supportThreadDeletions).all()).toEqual([]);
    });
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/client.js';
import { DomainError } from '../../../src/domain/errors.js';
import { SKILLS } from '../../../src/domain/tasks/skills.js';
import { TaskService, type Task } from '../../../src/domain/tasks/task-service.js';
import { closeDatabase, createTestDb, DAY, FakeClock, HOUR } from '../../support/test-db.js';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const ALICE = '200000000000000001';
const BOB = '200000000000000002';
const CAROL = '200000000000000003';
const MOD = '200000000000000009';

const member = (userId: string) => ({ userId, staff: false });
const staff = (userId: string) => ({ userId, staff: true });

function errorOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('TaskService', () => {
  let db: Db;
  let clock: FakeClock;
  let tasks: TaskService;
  let changes: Task[];

  const create = (title = 'Research visa options', extra: Partial<{ skill: string; due: string; link: string; guild: string }> = {}) =>
    tasks.create(
      extra.guild ?? GUILD,
      { title, description: 'Find the official pages.', skill: extra.skill ?? 'research', due: extra.due, link: extra.link },
      MOD,
    );

  beforeEach(() => {
    db = createTestDb();
    clock = new FakeClock();
    tasks = new TaskService(db, clock);
    changes = [];
    tasks.onChange((task) => changes.push(task));
  });

  afterEach(() => closeDatabase(db));

  describe('creating', () => {
    it('numbers tasks per guild, starting at 1', () => {
      expect(create('a').number).toBe(1);
      expect(create('b').number).toBe(2);
      expect(create('c', { guild: OTHER_GUILD }).number).toBe(1);
      expect(create('d').number).toBe(3);
      const stored = tasks.get(GUILD, 2);
      expect(stored).toMatchObject({ title: 'b', status: 'open', origin: 'manual', creatorId: MOD, claimantId: null });
    });

    it('stores the due date and link, trimmed', () => {
      const task = create('  Spaced title  ', { due: 'in 3 days', link: 'https://example.org/brief' });
      expect(task.title).toBe('Spaced title');
      expect(task.dueAt).toBe(Date.UTC(2026, 10, 26, 23, 59, 59, 999));
      expect(task.link).toBe('https://example.org/brief');
    });

    it('refuses bad input with a message and stores nothing', () => {
      expect(errorOf(() => create('x'.repeat(101))).code).toBe('taskAdmin.errors.titleLength');
      expect(errorOf(() => create('   ')).code).toBe('taskAdmin.errors.titleLength');
      expect(
        errorOf(() => tasks.create(GUILD, { title: 't', description: 'd'.repeat(1001), skill: 'research' }, MOD)).code,
      ).toBe('taskAdmin.errors.descriptionLength');
      expect(errorOf(() => create('t', { skill: 'juggling' })).code).toBe('taskAdmin.errors.unknownSkill');
      expect(errorOf(() => create('t', { link: 'http://example.org' })).code).toBe('errors.invalidHttpsUrl');
      expect(errorOf(() => create('t', { link: 'javascript:alert(1)' })).code).toBe('errors.invalidHttpsUrl');
      expect(errorOf(() => create('t', { due: 'yesterday' })).code).toBe('taskAdmin.errors.dueFormat');
      expect(errorOf(() => create('t', { due: '2020-01-01' })).code).toBe('taskAdmin.errors.duePast');
      expect(tasks.list(GUILD, { statuses: ['open', 'claimed', 'done', 'cancelled'] }, 0).total).toBe(0);
    });

    it('accepts every skill of the organisation', () => {
      for (const skill of SKILLS) expect(create(`task ${skill}`, { skill }).skill).toBe(skill);
    });
  });

  describe('claiming', () => {
    it('moves open → claimed and tells listeners', () => {
      create();
      const { task, renewed } = tasks.claim(GUILD, 1, ALICE);
      expect(renewed).toBe(false);
      expect(task).toMatchObject({ status: 'claimed', claimantId: ALICE, claimedAt: clock.now(), activityAt: clock.now() });
      expect(changes.map((change) => change.status)).toEqual(['claimed']);
    });

    it('tells a second claimant who holds the task', () => {
      create();
      tasks.claim(GUILD, 1, ALICE);
      const error = errorOf(() => tasks.claim(GUILD, 1, BOB));
      expect(error.code).toBe('task.errors.alreadyClaimed');
      expect(error.params).toEqual({ number: 1, userId: ALICE });
      expect(tasks.get(GUILD, 1).claimantId).toBe(ALICE);
    });

    it('lets the claimant confirm they are still on it (renewing the idle timer)', () => {
      create();
      tasks.claim(GUILD, 1, ALICE);
      clock.advance(5 * DAY);
      const { task, renewed } = tasks.claim(GUILD, 1, ALICE);
      expect(renewed).toBe(true);
      expect(task.activityAt).toBe(clock.now());
      expect(task.claimedAt).toBe(clock.now() - 5 * DAY);
    });

    it('refuses unknown, done and cancelled tasks', () => {
      expect(errorOf(() => tasks.claim(GUILD, 42, ALICE)).code).toBe('task.errors.notFound');
      create('a');
      create('b');
      tasks.complete(GUILD, 1, staff(MOD));
      tasks.cancel(GUILD, 2);
      expect(errorOf(() => tasks.claim(GUILD, 1, ALICE)).code).toBe('task.errors.alreadyDone');
      expect(errorOf(() => tasks.claim(GUILD, 2, ALICE)).code).toBe('task.errors.cancelled');
    });

    it('keeps guilds apart: #1 of another guild is another task', () => {
      create('here');
      create('there', { guild: OTHER_GUILD });
      tasks.claim(OTHER_GUILD, 1, ALICE);
      expect(tasks.get(GUILD, 1).status).toBe('open');
    });

    it('enforces the per-guild claim limit', () => {
      for (let i = 0; i < 5; i++) create(`task ${i}`);
      tasks.updateSettings(GUILD, { maxClaims: 2 });
      tasks.claim(GUILD, 1, ALICE);
      tasks.claim(GUILD, 2, ALICE);
      const error = errorOf(() => tasks.claim(GUILD, 3, ALICE));
      expect(error.code).toBe('task.errors.claimLimit');
      expect(error.params).toEqual({ count: 2 });
      expect(tasks.get(GUILD, 3).status).toBe('open');
      // Other members are not affected, and finishing one frees a slot.
      tasks.claim(GUILD, 3, BOB);
      tasks.complete(GUILD, 1, member(ALICE));
      expect(tasks.claim(GUILD, 4, ALICE).task.claimantId).toBe(ALICE);
    });

    it('uses the default limit of 3', () => {
      for (let i = 0; i < 4; i++) create(`task ${i}`);
      for (let n = 1; n <= 3; n++) tasks.claim(GUILD, n, ALICE);
      expect(errorOf(() => tasks.claim(GUILD, 4, ALICE)).code).toBe('task.errors.claimLimit');
    });

    it('lets exactly one of 50 concurrent claims win', async () => {
      create();
      const claimants = Array.from({ length: 50 }, (_, i) => `3000000000000000${String(i).padStart(2, '0')}`);
      const results = await Promise.allSettled(claimants.map(async (userId) => tasks.claim(GUILD, 1, userId)));
      const winners = results.filter((result) => result.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      const winner = (winners[0] as PromiseFulfilledResult<{ task: Task }>).value.task.claimantId;
      for (const result of results) {
        if (result.status === 'rejected') {
          expect(result.reason).toBeInstanceOf(DomainError);
          expect((result.reason as DomainError).code).toBe('task.errors.alreadyClaimed');
          expect((result.reason as DomainError).params.userId).toBe(winner);
        }
      }
      expect(tasks.get(GUILD, 1).claimantId).toBe(winner);
    });

    it('a member racing for several tasks cannot exceed the limit', async () => {
      for (let i = 0; i < 10; i++) create(`task ${i}`);
      tasks.updateSettings(GUILD, { maxClaims: 3 });
      const results = await Promise.allSettled(Array.from({ length: 10 }, async (_, i) => tasks.claim(GUILD, i + 1, ALICE)));
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
      expect(tasks.claimedCount(GUILD, ALICE)).toBe(3);
    });
  });

  describe('releasing and completing', () => {
    beforeEach(() => {
      create();
      tasks.claim(GUILD, 1, ALICE);
      changes = [];
    });

    it('the claimant releases: claimed → open, claim data cleared', () => {
      const { task, formerClaimantId } = tasks.release(GUILD, 1, member(ALICE));
      expect(formerClaimantId).toBe(ALICE);
      expect(task).toMatchObject({ status: 'open', claimantId: null, claimedAt: null, activityAt: null });
      expect(changes.map((change) => change.status)).toEqual(['open']);
    });

    it('someone else cannot release or complete it; staff can', () => {
      const release = errorOf(() => tasks.release(GUILD, 1, member(BOB)));
      expect(release.code).toBe('task.errors.notYours');
      expect(release.params).toEqual({ number: 1, userId: ALICE });
      expect(errorOf(() => tasks.complete(GUILD, 1, member(BOB))).code).toBe('task.errors.notYours');
      expect(tasks.get(GUILD, 1).status).toBe('claimed');
      expect(tasks.release(GUILD, 1, staff(MOD)).formerClaimantId).toBe(ALICE);
      expect(tasks.get(GUILD, 1).status).toBe('open');
    });

    it('releasing an open task says it is not claimed', () => {
      tasks.release(GUILD, 1, member(ALICE));
      expect(errorOf(() => tasks.release(GUILD, 1, member(ALICE))).code).toBe('task.errors.notClaimed');
    });

    it('the claimant completes with a note; the claim is kept as credit', () => {
      clock.advance(HOUR);
      const task = tasks.complete(GUILD, 1, member(ALICE), '  Draft in the shared folder.  ');
      expect(task).toMatchObject({ status: 'done', claimantId: ALICE, doneAt: clock.now(), doneNote: 'Draft in the shared folder.' });
      expect(errorOf(() => tasks.complete(GUILD, 1, member(ALICE))).code).toBe('task.errors.alreadyDone');
      expect(errorOf(() => tasks.release(GUILD, 1, member(ALICE))).code).toBe('task.errors.alreadyDone');
    });

    it('refuses a note over 500 characters and changes nothing', () => {
      expect(errorOf(() => tasks.complete(GUILD, 1, member(ALICE), 'n'.repeat(501))).code).toBe('task.errors.noteTooLong');
      expect(tasks.get(GUILD, 1).status).toBe('claimed');
    });

    it('members must claim before completing; staff may close an unclaimed task', () => {
      create('second');
      expect(errorOf(() => tasks.complete(GUILD, 2, member(BOB))).code).toBe('task.errors.claimFirst');
      expect(tasks.complete(GUILD, 2, staff(MOD)).status).toBe('done');
    });
  });

  describe('moderation', () => {
    it('edits fields, clears due date and link with "none", refuses finished tasks', () => {
      create('old', { due: 'tomorrow', link: 'https://example.org' });
      const edited = tasks.edit(GUILD, 1, { title: 'new', skill: 'design', due: 'none', link: 'ninguno' });
      expect(edited).toMatchObject({ title: 'new', skill: 'design', dueAt: null, link: null, description: 'Find the official pages.' });
      expect(tasks.edit(GUILD, 1, { due: '2026-12-01' }).dueAt).toBe(Date.UTC(2026, 11, 1, 23, 59, 59, 999));
      expect(errorOf(() => tasks.edit(GUILD, 1, {})).code).toBe('taskAdmin.errors.nothingToEdit');
      expect(errorOf(() => tasks.edit(GUILD, 1, { due: 'soonish' })).code).toBe('taskAdmin.errors.dueFormat');
      expect(tasks.get(GUILD, 1).dueAt).toBe(Date.UTC(2026, 11, 1, 23, 59, 59, 999));
      tasks.cancel(GUILD, 1);
      expect(errorOf(() => tasks.edit(GUILD, 1, { title: 'x' })).code).toBe('taskAdmin.errors.notEditable');
      expect(errorOf(() => tasks.edit(GUILD, 9, { title: 'x' })).code).toBe('task.errors.notFound');
    });

    it('cancels open and claimed tasks, clearing the claim', () => {
      create();
      tasks.claim(GUILD, 1, ALICE);
      expect(tasks.cancel(GUILD, 1)).toMatchObject({ status: 'cancelled', claimantId: null });
      expect(errorOf(() => tasks.cancel(GUILD, 1)).code).toBe('task.errors.cancelled');
    });

    it('assigns and reassigns', () => {
      create();
      expect(tasks.assign(GUILD, 1, ALICE)).toMatchObject({ task: { status: 'claimed', claimantId: ALICE }, previousClaimantId: null });
      expect(tasks.assign(GUILD, 1, BOB)).toMatchObject({ task: { claimantId: BOB }, previousClaimantId: ALICE });
      tasks.complete(GUILD, 1, member(BOB));
      expect(errorOf(() => tasks.assign(GUILD, 1, CAROL)).code).toBe('task.errors.alreadyDone');
    });

    it('validates the board settings', () => {
      expect(tasks.getSettings(GUILD)).toEqual({ maxClaims: 3, idleDays: 14 });
      expect(tasks.updateSettings(GUILD, { idleDays: 7 })).toEqual({ maxClaims: 3, idleDays: 7 });
      expect(tasks.updateSettings(GUILD, { maxClaims: 5 })).toEqual({ maxClaims: 5, idleDays: 7 });
      expect(errorOf(() => tasks.updateSettings(GUILD, { maxClaims: 0 })).code).toBe('errors.outOfRange');
      expect(errorOf(() => tasks.updateSettings(GUILD, { idleDays: 1000 })).code).toBe('errors.outOfRange');
      expect(tasks.getSettings(GUILD)).toEqual({ maxClaims: 5, idleDays: 7 });
      expect(tasks.getSettings(OTHER_GUILD)).toEqual({ maxClaims: 3, idleDays: 14 });
    });
  });

  describe('listing and stats', () => {
    it('pages open tasks, soonest due first, and filters by skill and claimant', () => {
      for (let i = 1; i <= 23; i++) create(`task ${i}`, { skill: i % 2 === 0 ? 'design' : 'research' });
      tasks.edit(GUILD, 20, { due: 'tomorrow' });
      tasks.claim(GUILD, 1, ALICE);
      const first = tasks.list(GUILD, { statuses: ['open'] }, 0);
      expect(first).toMatchObject({ total: 22, page: 0, pageCount: 3 });
      expect(first.tasks.map((task) => task.number)).toEqual([20, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const last = tasks.list(GUILD, { statuses: ['open'] }, 99);
      expect(last.page).toBe(2);
      expect(last.tasks.map((task) => task.number)).toEqual([22, 23]);
      expect(tasks.list(GUILD, { statuses: ['open'], skill: 'design' }, 0).total).toBe(11);
      expect(tasks.list(GUILD, { statuses: ['claimed'], claimantId: ALICE }, 0).tasks.map((task) => task.number)).toEqual([1]);
      expect(tasks.list(GUILD, { statuses: ['claimed'], claimantId: BOB }, 0)).toMatchObject({ total: 0, pageCount: 1 });
    });

    it('finds tasks for autocomplete by number prefix or title words, wildcards taken literally', () => {
      for (let i = 1; i <= 12; i++) create(i === 5 ? 'Translate 100% of the FAQ' : `Task number ${i}`);
      tasks.claim(GUILD, 11, ALICE);
      const numbers = (query: string, filter: Parameters<TaskService['search']>[1] = { statuses: ['open'] }) =>
        tasks.search(GUILD, filter, query).map((task) => task.number);
      expect(numbers('1')).toEqual([1, 10, 12]);
      expect(numbers('#12')).toEqual([12]);
      expect(numbers('faq')).toEqual([5]);
      expect(numbers('100%')).toEqual([5]);
      expect(numbers('%')).toEqual([5]);
      expect(numbers('_')).toEqual([]);
      expect(numbers('')).toHaveLength(11);
      expect(numbers('', { statuses: ['claimed'], claimantId: ALICE })).toEqual([11]);
      expect(numbers('', { statuses: ['claimed'], claimantId: BOB })).toEqual([]);
      expect(tasks.search(GUILD, { statuses: ['open'] }, '', 3)).toHaveLength(3);
    });

    it('counts per skill and ranks recent completions, leaving out members who opted out', () => {
      for (let i = 1; i <= 6; i++) create(`task ${i}`, { skill: i <= 4 ? 'research' : 'design' });
      // An old completion, outside the last 30 days.
      tasks.claim(GUILD, 6, CAROL);
      tasks.complete(GUILD, 6, member(CAROL));
      clock.advance(31 * DAY);
      tasks.claim(GUILD, 3, BOB);
      tasks.complete(GUILD, 3, member(BOB));
      clock.advance(HOUR);
      tasks.claim(GUILD, 1, ALICE);
      tasks.complete(GUILD, 1, member(ALICE));
      tasks.claim(GUILD, 2, ALICE);
      tasks.complete(GUILD, 2, member(ALICE));
      tasks.claim(GUILD, 5, CAROL);

      const stats = tasks.stats(GUILD);
      expect(stats.perSkill).toHaveLength(2);
      expect(stats.perSkill).toEqual(
        expect.arrayContaining([
          { skill: 'research', open: 1, claimed: 0, done: 3 },
          { skill: 'design', open: 0, claimed: 1, done: 1 },
        ]),
      );
      expect(stats.completedRecently).toBe(3);
      expect(stats.leaderboard).toEqual([
        { userId: ALICE, completed: 2 },
        { userId: BOB, completed: 1 },
      ]);

      tasks.setLeaderboardOptOut(GUILD, ALICE, true);
      tasks.setLeaderboardOptOut(GUILD, ALICE, true);
      expect(tasks.isLeaderboardOptOut(GUILD, ALICE)).toBe(true);
      expect(tasks.stats(GUILD).leaderboard).toEqual([{ userId: BOB, completed: 1 }]);
      // Opting out hides the name, not the work: the count stays.
      expect(tasks.stats(GUILD).completedRecently).toBe(3);
      tasks.setLeaderboardOptOut(GUILD, ALICE, false);
      expect(tasks.stats(GUILD).leaderboard[0]).toEqual({ userId: ALICE, completed: 2 });
      expect(tasks.stats(OTHER_GUILD)).toMatchObject({ perSkill: [], completedRecently: 0, leaderboard: [] });
    });
  });

  describe('privacy', () => {
    it('describes claims, completions, created tasks and the opt-out', () => {
      expect(tasks.describe(GUILD, ALICE, 'en')).toEqual([]);
      create('a');
      create('b');
      tasks.claim(GUILD, 1, ALICE);
      tasks.claim(GUILD, 2, ALICE);
      tasks.complete(GUILD, 2, member(ALICE));
      tasks.setLeaderboardOptOut(GUILD, ALICE, true);
      const [item] = tasks.describe(GUILD, ALICE, 'en');
      expect(item?.category).toBe('Volunteer tasks');
      expect(item?.lines).toEqual([
        'Tasks you hold: #1',
        'Tasks completed by you: 1 (#2)',
        'You are hidden from the task leaderboard.',
      ]);
      expect(tasks.describe(GUILD, MOD, 'es')[0]?.lines).toEqual(['Tareas que creaste: 2']);
    });

    it('erases: claims return to open, ids are removed, the tasks stay', () => {
      create('a');
      create('b');
      tasks.create(GUILD, { title: 'by alice', description: 'd', skill: 'other' }, ALICE);
      tasks.claim(GUILD, 1, ALICE);
      tasks.claim(GUILD, 2, ALICE);
      tasks.complete(GUILD, 2, member(ALICE));
      tasks.claim(GUILD, 3, BOB);
      tasks.setLeaderboardOptOut(GUILD, ALICE, true);
      create('elsewhere', { guild: OTHER_GUILD });
      tasks.claim(OTHER_GUILD, 1, ALICE);
      changes = [];

      expect(tasks.erase(GUILD, ALICE)).toBe(4);
      expect(tasks.get(GUILD, 1)).toMatchObject({ status: 'open', claimantId: null });
      expect(tasks.get(GUILD, 2)).toMatchObject({ status: 'done', claimantId: null });
      expect(tasks.get(GUILD, 3)).toMatchObject({ creatorId: null, claimantId: BOB });
      expect(tasks.isLeaderboardOptOut(GUILD, ALICE)).toBe(false);
      expect(tasks.describe(GUILD, ALICE, 'en')).toEqual([]);
      expect(changes.map((task) => task.number)).toEqual([1]);
      // Another guild's data is that guild's business.
      expect(tasks.get(OTHER_GUILD, 1).claimantId).toBe(ALICE);
      const rows = db.$client.prepare('select count(*) as n from tasks where claimant_id = ? or creator_id = ?').get(ALICE, ALICE) as { n: number };
      expect(rows.n).toBe(1);
    });
  });
});

import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/client.js';
import { GuideLibrary } from '../../../src/domain/guides/index.js';
import { TaskJobs, type Delivery, type TaskNotifier } from '../../../src/domain/tasks/task-jobs.js';
import { TaskService, type IdleRelease, type Task } from '../../../src/domain/tasks/task-service.js';
import { guideSourceHash, guideTranslationStatus } from '../../../src/i18n/translation-check.js';
import { closeDatabase, createTestDb, DAY, FakeClock, HOUR } from '../../support/test-db.js';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const ALICE = '200000000000000001';
const BOB = '200000000000000002';

/** Records what the jobs asked Discord to do; `delivery` decides how reminders "arrive". */
class RecordingNotifier implements TaskNotifier {
  delivery: Delivery = 'dm';
  channelConfigured = true;
  readonly overdue: Task[] = [];
  readonly idleWarnings: { task: Task; releaseAt: number }[] = [];
  readonly releases: IdleRelease[] = [];
  readonly published: Task[] = [];

  constructor(private readonly tasks: TaskService) {}

  async remindOverdue(task: Task): Promise<Delivery> {
    this.overdue.push(task);
    return this.delivery;
  }

  async warnIdle(task: Task, releaseAt: number): Promise<Delivery> {
    this.idleWarnings.push({ task, releaseAt });
    return this.delivery;
  }

  async announceIdleRelease(release: IdleRelease): Promise<void> {
    this.releases.push(release);
  }

  async publish(task: Task): Promise<boolean> {
    if (!this.channelConfigured) return false;
    this.published.push(task);
    this.tasks.setAnnouncement(task.id, '500000000000000001', `60000000000000000${this.published.length}`);
    return true;
  }
}

describe('task jobs', () => {
  let db: Db;
  let clock: FakeClock;
  let tasks: TaskService;
  let notifier: RecordingNotifier;
  let locales: string;
  let jobs: TaskJobs;

  beforeEach(() => {
    db = createTestDb();
    clock = new FakeClock();
    tasks = new TaskService(db, clock);
    notifier = new RecordingNotifier(tasks);
    locales = mkdtempSync(join(tmpdir(), 'task-locales-'));
    mkdirSync(join(locales, 'en', 'guides'), { recursive: true });
    mkdirSync(join(locales, 'es', 'guides'), { recursive: true });
    jobs = new TaskJobs({
      tasks,
      notifier,
      logger: pino({ level: 'silent' }),
      guildIds: () => [GUILD, OTHER_GUILD],
      languageFor: (guildId) => (guildId === OTHER_GUILD ? 'es' : 'en'),
      translationStatus: () => guideTranslationStatus(locales),
      // Read afresh on every run, as a new release of the bot would.
      reviewStatus: () => GuideLibrary.load(locales, { maxAgeDays: 180, now: () => clock.now() }).reviewStatus(),
      reviewMaxAgeDays: 180,
      projectRoot: locales,
    });
  });

  afterEach(() => {
    closeDatabase(db);
    rmSync(locales, { recursive: true, force: true });
  });

  describe('reminders and idle claims', () => {
    const createClaimed = (due: string | null, userId = ALICE) => {
      const task = tasks.create(GUILD, { title: 'Translate the flyer', description: 'd', skill: 'design', due }, null);
      tasks.claim(GUILD, task.number, userId);
      return task.number;
    };

    it('reminds the claimant of an overdue task once, then again after three days', async () => {
      const number = createClaimed('tomorrow');
      createClaimed(null, BOB);
      expect(await jobs.runReminders()).toEqual({ reminded: 0, warned: 0, released: 0 });

      clock.advance(2 * DAY);
      expect((await jobs.runReminders()).reminded).toBe(1);
      expect(notifier.overdue.map((task) => [task.number, task.claimantId])).toEqual([[number, ALICE]]);
      expect(tasks.get(GUILD, number).remindedAt).toBe(clock.now());

      clock.advance(HOUR);
      await jobs.runReminders();
      expect(notifier.overdue).toHaveLength(1);

      clock.advance(3 * DAY);
      await jobs.runReminders();
      expect(notifier.overdue).toHaveLength(2);
    });

    it('does not retry an undeliverable reminder every run, and stops when the task is done', async () => {
      const number = createClaimed('today');
      notifier.delivery = 'none';
      clock.advance(DAY);
      expect((await jobs.runReminders()).reminded).toBe(0);
      await jobs.runReminders();
      expect(notifier.overdue).toHaveLength(1);
      tasks.complete(GUILD, number, { userId: ALICE, staff: false });
      clock.advance(5 * DAY);
      await jobs.runReminders();
      expect(notifier.overdue).toHaveLength(1);
    });

    it('a new claim of an overdue task is reminded afresh', async () => {
      const number = createClaimed('today');
      clock.advance(DAY);
      await jobs.runReminders();
      tasks.release(GUILD, number, { userId: ALICE, staff: false });
      tasks.claim(GUILD, number, BOB);
      await jobs.runReminders();
      expect(notifier.overdue.map((task) => task.claimantId)).toEqual([ALICE, BOB]);
    });

    it('warns before releasing an idle claim, then releases it and reports the former claimant', async () => {
      const number = createClaimed(null);
      const claimedAt = clock.now();
      clock.advance(10 * DAY);
      expect(await jobs.runReminders()).toEqual({ reminded: 0, warned: 0, released: 0 });

      clock.advance(1 * DAY + HOUR);
      expect((await jobs.runReminders()).warned).toBe(1);
      expect(notifier.idleWarnings).toEqual([{ task: expect.objectContaining({ number }), releaseAt: claimedAt + 14 * DAY }]);
      await jobs.runReminders();
      expect(notifier.idleWarnings).toHaveLength(1);

      clock.advance(3 * DAY);
      expect((await jobs.runReminders()).released).toBe(1);
      expect(notifier.releases).toEqual([{ task: expect.objectContaining({ number, status: 'open', claimantId: null }), formerClaimantId: ALICE, idleDays: 14 }]);
      expect(tasks.get(GUILD, number).status).toBe('open');
      await jobs.runReminders();
      expect(notifier.releases).toHaveLength(1);
    });

    it('confirming a claim restarts the idle period', async () => {
      const number = createClaimed(null);
      clock.advance(12 * DAY);
      await jobs.runReminders();
      expect(notifier.idleWarnings).toHaveLength(1);
      tasks.claim(GUILD, number, ALICE);
      clock.advance(12 * DAY);
      await jobs.runReminders();
      expect(notifier.releases).toHaveLength(0);
      // The renewed claim gets its own warning before it is released.
      expect(notifier.idleWarnings).toHaveLength(2);
      clock.advance(3 * DAY);
      await jobs.runReminders();
      expect(notifier.releases).toHaveLength(1);
    });

    it('a warning recorded after the claimant confirmed does not cover the new idle period', async () => {
      const number = createClaimed(null);
      clock.advance(12 * DAY);
      const [warning] = tasks.idleWarningsDue(GUILD);
      // The claimant confirms while the warning is on its way.
      tasks.claim(GUILD, number, ALICE);
      expect(tasks.markIdleWarned(warning!.task)).toBe(false);
      expect(tasks.get(GUILD, number).idleWarnedAt).toBeNull();
    });

    it('follows each guild\'s idle setting', async () => {
      tasks.updateSettings(GUILD, { idleDays: 2 });
      const number = createClaimed(null);
      const other = tasks.create(OTHER_GUILD, { title: 't', description: 'd', skill: 'other' }, null);
      tasks.claim(OTHER_GUILD, other.number, BOB);
      clock.advance(2 * DAY + HOUR);
      await jobs.runReminders();
      expect(notifier.releases.map((release) => [release.task.guildId, release.task.number, release.idleDays])).toEqual([[GUILD, number, 2]]);
      expect(tasks.get(OTHER_GUILD, other.number).status).toBe('claimed');
    });
  });

  describe('Spanish translation tasks', () => {
    const writeGuide = (slug: string, body: string) =>
      writeFileSync(join(locales, 'en', 'guides', `${slug}.md`), `---\ntitle: Guide ${slug}\nslug: ${slug}\n---\n${body}\n`);
    const translate = (slug: string) => {
      const source = guideTranslationStatus(locales).find((status) => status.slug === slug);
      writeFileSync(join(locales, 'es', 'guides', `${slug}.md`), `---\ntitle: Guía ${slug}\nsource_hash: ${source?.currentHash}\n---\nTexto\n`);
    };
    const live = (guildId = GUILD) => tasks.liveGenerated(guildId, 'translation:');

    it('creates one open task per missing or stale guide and guild, never duplicated', async () => {
      writeGuide('asylum', 'Asylum text');
      writeGuide('visas', 'Visa text');
      writeGuide('current', 'Current text');
      translate('current');
      writeFileSync(join(locales, 'es', 'guides', 'visas.md'), `---\ntitle: Visados\nsource_hash: ${guideSourceHash('old text')}\n---\nTexto\n`);

      const first = await jobs.syncTranslations();
      expect(first.created.map((task) => [task.guildId, task.origin]).sort()).toEqual([
        [GUILD, 'translation:asylum'],
        [GUILD, 'translation:visas'],
        [OTHER_GUILD, 'translation:asylum'],
        [OTHER_GUILD, 'translation:visas'],
      ]);
      const [asylum] = live();
      expect(asylum).toMatchObject({ skill: 'spanish-translation', status: 'open', title: 'Translate the guide “Guide asylum” into Spanish' });
      expect(asylum?.description).toContain('en/guides/asylum.md');
      expect(asylum?.description).toContain('es/guides/asylum.md');
      expect(asylum?.description).toContain('npm run i18n:mark-reviewed -- asylum');
      expect(live(OTHER_GUILD)[0]?.title).toBe('Traducir al español la guía «Guide asylum»');
      expect(live(GUILD).find((task) => task.origin === 'translation:visas')?.description).toContain('changed after');
      expect(notifier.published).toHaveLength(4);

      const second = await jobs.syncTranslations();
      expect(second.created).toEqual([]);
      expect(live()).toHaveLength(2);
      expect(notifier.published).toHaveLength(4);
    });

    it('a claimed translation task is not duplicated either; the database refuses a second live one', async () => {
      writeGuide('asylum', 'Asylum text');
      await jobs.syncTranslations([GUILD]);
      tasks.claim(GUILD, 1, ALICE);
      await jobs.syncTranslations([GUILD]);
      expect(live()).toHaveLength(1);
      expect(
        tasks.createGenerated(GUILD, { title: 't', description: 'd', skill: 'spanish-translation', origin: 'translation:asylum' }),
      ).toBeUndefined();
    });

    it('closes the task when the guide is translated (credit to the claimant), and opens a new one when it goes stale again', async () => {
      writeGuide('asylum', 'Asylum text');
      await jobs.syncTranslations([GUILD]);
      tasks.claim(GUILD, 1, ALICE);
      translate('asylum');
      const report = await jobs.syncTranslations([GUILD]);
      expect(report.completed.map((task) => [task.number, task.status, task.claimantId])).toEqual([[1, 'done', ALICE]]);
      expect(tasks.get(GUILD, 1).doneNote).toBe('The Spanish guide is up to date again.');
      expect(live()).toEqual([]);

      writeGuide('asylum', 'Asylum text, revised');
      const again = await jobs.syncTranslations([GUILD]);
      expect(again.created.map((task) => task.number)).toEqual([2]);
      expect(tasks.get(GUILD, 2).description).toContain('changed after');
    });

    it('cancels the task of a guide that no longer exists', async () => {
      writeGuide('old', 'Old text');
      await jobs.syncTranslations([GUILD]);
      unlinkSync(join(locales, 'en', 'guides', 'old.md'));
      const report = await jobs.syncTranslations([GUILD]);
      expect(report.cancelled.map((task) => task.origin)).toEqual(['translation:old']);
      expect(tasks.get(GUILD, 1).status).toBe('cancelled');
    });

    it('announces tasks created before a tasks channel existed once there is one', async () => {
      writeGuide('asylum', 'Asylum text');
      notifier.channelConfigured = false;
      await jobs.syncTranslations([GUILD]);
      expect(notifier.published).toEqual([]);
      notifier.channelConfigured = true;
      await jobs.syncTranslations([GUILD]);
      expect(notifier.published.map((task) => task.number)).toEqual([1]);
    });
  });
  describe('"Review guide" tasks', () => {
    /** A full, valid guide (the review job reads guides through the real loader). */
    const writeReviewed = (slug: string, lastReviewed: string) =>
      writeFileSync(
        join(locales, 'en', 'guides', `${slug}.md`),
        [
          '---',
          `slug: ${slug}`,
          `title: "Guide ${slug}"`,
          'summary: "Summary"',
          'keywords: ["k"]',
          'sources:',
          '  - title: "Source"',
          '    url: "https://example.org/"',
          `last_reviewed: "${lastReviewed}"`,
          '---',
          'Text. This is information, not legal advice.',
          '',
        ].join('\n'),
      );
    const live = (guildId = GUILD) => tasks.liveGenerated(guildId, 'review:');

    beforeEach(() => clock.set(Date.UTC(2026, 11, 1, 12)));

    it('opens one task per guide reviewed more than 180 days ago, per guild, never duplicated', async () => {
      writeReviewed('old', '2026-06-03'); // 181 days before 1 December 2026
      writeReviewed('edge', '2026-06-05'); // 179 days and a half at noon: not yet overdue
      writeReviewed('fresh', '2026-11-30');

      const first = await jobs.syncReviews();
      expect(first.created.map((task) => [task.guildId, task.origin]).sort()).toEqual([
        [GUILD, 'review:old@2026-06-03'],
        [OTHER_GUILD, 'review:old@2026-06-03'],
      ]);
      const [task] = live();
      expect(task).toMatchObject({ skill: 'legal-research', status: 'open', title: 'Review the guide “Guide old”' });
      expect(task?.description).toContain('last reviewed on June 3, 2026, more than 180 days ago');
      expect(task?.description).toContain('en/guides/old.md');
      expect(task?.description).toContain('es/guides/old.md');
      expect(live(OTHER_GUILD)[0]?.title).toBe('Revisar la guía «Guide old»');
      expect(live(OTHER_GUILD)[0]?.description).toContain('el 3 de junio de 2026');
      expect(notifier.published).toHaveLength(2);

      tasks.claim(GUILD, task!.number, ALICE);
      const second = await jobs.syncReviews();
      expect(second.created).toEqual([]);
      expect(live()).toHaveLength(1);
      expect(notifier.published).toHaveLength(2);

      // A day later the edge guide is overdue too.
      clock.advance(DAY);
      expect((await jobs.syncReviews([GUILD])).created.map((created) => created.origin)).toEqual(['review:edge@2026-06-05']);
    });

    it('closes the task (credit to the claimant) when the review date moves, and cancels it when the guide is gone', async () => {
      writeReviewed('old', '2026-01-10');
      writeReviewed('gone', '2026-01-10');
      await jobs.syncReviews([GUILD]);
      const old = live().find((task) => task.origin.startsWith('review:old@'))!;
      tasks.claim(GUILD, old.number, ALICE);

      writeReviewed('old', '2026-12-01');
      unlinkSync(join(locales, 'en', 'guides', 'gone.md'));
      const report = await jobs.syncReviews([GUILD]);
      expect(report.completed.map((task) => [task.number, task.status, task.claimantId])).toEqual([[old.number, 'done', ALICE]]);
      expect(tasks.get(GUILD, old.number).doneNote).toBe('The guide has a new review date.');
      expect(report.cancelled.map((task) => task.origin)).toEqual(['review:gone@2026-01-10']);
      expect(report.created).toEqual([]);
      expect(live()).toEqual([]);
    });

    it('counts a Spanish translation whose review date lags behind', async () => {
      writeReviewed('fresh', '2026-11-30');
      const english = readFileSync(join(locales, 'en', 'guides', 'fresh.md'), 'utf8');
      const spanish = english
        .replace('last_reviewed: "2026-11-30"', `last_reviewed: "2026-01-10"\nsource_hash: "${guideSourceHash(english)}"`)
        .replace('information, not legal advice', 'información, no asesoramiento jurídico');
      writeFileSync(join(locales, 'es', 'guides', 'fresh.md'), spanish);
      const report = await jobs.syncReviews([GUILD]);
      expect(report.created.map((task) => task.origin)).toEqual(['review:fresh@2026-01-10']);
      expect(report.created[0]?.description).toContain('es/guides/fresh.md');
    });

    it('a new date that is still too old replaces the task with one for the new date', async () => {
      writeReviewed('old', '2026-01-10');
      await jobs.syncReviews([GUILD]);
      writeReviewed('old', '2026-02-10');
      const report = await jobs.syncReviews([GUILD]);
      expect(report.completed.map((task) => task.origin)).toEqual(['review:old@2026-01-10']);
      expect(report.created.map((task) => task.origin)).toEqual(['review:old@2026-02-10']);
      expect(live().map((task) => task.origin)).toEqual(['review:old@2026-02-10']);
    });
  });
});

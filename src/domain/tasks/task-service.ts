import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, max, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { taskLeaderboardOptOuts, taskSettings, tasks } from '../../db/schema/index.js';
import { t, type Language } from '../../i18n/index.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import { httpsUrl } from '../guild-settings.js';
import type { PrivacyParticipant, StoredItem } from '../privacy.js';
import { isClearDueWord, parseDueDate } from './due-date.js';
import { isSkill, type Skill } from './skills.js';

export type Task = typeof tasks.$inferSelect;
export type TaskStatus = Task['status'];

export const TITLE_MAX = 100;
export const DESCRIPTION_MAX = 1000;
export const NOTE_MAX = 500;
export const LINK_MAX = 512;
export const PAGE_SIZE = 10;
export const STATS_DAYS = 30;
export const LEADERBOARD_SIZE = 5;

const DAY_MS = 24 * 60 * 60 * 1000;
/** An overdue claim is reminded at most this often. */
export const REMIND_EVERY_MS = 3 * DAY_MS;

export const TASK_LIMITS = {
  maxClaims: { min: 1, max: 20, default: 3 },
  idleDays: { min: 1, max: 365, default: 14 },
} as const;

export interface TaskBoardSettings {
  maxClaims: number;
  idleDays: number;
}

/** Who is acting; `staff` is decided by the Discord layer from the member's roles. */
export interface Actor {
  userId: string;
  staff: boolean;
}

export interface NewTaskInput {
  title: string;
  description: string;
  skill: string;
  due?: string | null;
  link?: string | null;
}

/** Omitted fields stay as they are; `due`/`link` accept "none" to clear. */
export interface TaskPatch {
  title?: string | null;
  description?: string | null;
  skill?: string | null;
  due?: string | null;
  link?: string | null;
}

export interface TaskListFilter {
  skill?: Skill | null;
  /** Only tasks this member holds. */
  claimantId?: string | null;
  statuses: readonly TaskStatus[];
}

export interface TaskPage {
  tasks: Task[];
  total: number;
  page: number;
  pageCount: number;
}

export interface SkillCounts {
  skill: string;
  open: number;
  claimed: number;
  done: number;
}

export interface TaskStats {
  perSkill: SkillCounts[];
  completedRecently: number;
  leaderboard: { userId: string; completed: number }[];
  days: number;
}

export interface IdleRelease {
  task: Task;
  formerClaimantId: string;
  idleDays: number;
}

export interface IdleWarning {
  task: Task;
  releaseAt: number;
}

export type TaskListener = (task: Task) => void;

const LIVE: TaskStatus[] = ['open', 'claimed'];

/** The columns a fresh claim sets: a new claimant starts with clean reminder and idle timers. */
function claimedBy(userId: string, now: number) {
  return {
    status: 'claimed' as const,
    claimantId: userId,
    claimedAt: now,
    activityAt: now,
    remindedAt: null,
    idleWarnedAt: null,
    updatedAt: now,
  };
}

/**
 * The volunteer task board. Every state change is one conditional UPDATE … RETURNING, so two
 * members racing for one task cannot both win, and a claim limit cannot be overrun by parallel
 * claims. Listeners hear about every change (the Discord layer edits the announcement).
 */
export class TaskService implements PrivacyParticipant {
  readonly name = 'tasks';
  private readonly listeners = new Set<TaskListener>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Called after every change of a task's state or content; returns an unsubscribe function. */
  onChange(listener: TaskListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(task: Task): Task {
    for (const listener of this.listeners) {
      try {
        listener(task);
      } catch {
        // A listener's failure must not undo or hide a committed change.
      }
    }
    return task;
  }

  // ---- settings ------------------------------------------------------------------------------

  getSettings(guildId: string): TaskBoardSettings {
    const row = this.db.select().from(taskSettings).where(eq(taskSettings.guildId, guildId)).get();
    return {
      maxClaims: row?.maxClaims ?? TASK_LIMITS.maxClaims.default,
      idleDays: row?.idleDays ?? TASK_LIMITS.idleDays.default,
    };
  }

  updateSettings(guildId: string, patch: Partial<TaskBoardSettings>): TaskBoardSettings {
    const next = { ...this.getSettings(guildId) };
    for (const key of ['maxClaims', 'idleDays'] as const) {
      const value = patch[key];
      if (value === undefined || value === null) continue;
      const { min, max: upper } = TASK_LIMITS[key];
      if (!Number.isInteger(value) || value < min || value > upper) {
        throw new DomainError('errors.outOfRange', { value, min, max: upper });
      }
      next[key] = value;
    }
    const now = this.clock.now();
    this.db
      .insert(taskSettings)
      .values({ guildId, ...next, updatedAt: now })
      .onConflictDoUpdate({ target: taskSettings.guildId, set: { ...next, updatedAt: now } })
      .run();
    return next;
  }

  // ---- reading -------------------------------------------------------------------------------

  find(guildId: string, number: number): Task | undefined {
    return this.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.guildId, guildId), eq(tasks.number, number)))
      .get();
  }

  get(guildId: string, number: number): Task {
    const task = this.find(guildId, number);
    if (!task) throw new DomainError('task.errors.notFound', { number });
    return task;
  }

  byId(id: number): Task | undefined {
    return this.db.select().from(tasks).where(eq(tasks.id, id)).get();
  }

  claimedCount(guildId: string, userId: string): number {
    const row = this.db
      .select({ n: count() })
      .from(tasks)
      .where(and(eq(tasks.guildId, guildId), eq(tasks.claimantId, userId), eq(tasks.status, 'claimed')))
      .get();
    return row?.n ?? 0;
  }

  list(guildId: string, filter: TaskListFilter, page: number, pageSize = PAGE_SIZE): TaskPage {
    const conditions = [eq(tasks.guildId, guildId), inArray(tasks.status, [...filter.statuses])];
    if (filter.skill) conditions.push(eq(tasks.skill, filter.skill));
    if (filter.claimantId) conditions.push(eq(tasks.claimantId, filter.claimantId));
    const where = and(...conditions);
    const total = this.db.select({ n: count() }).from(tasks).where(where).get()?.n ?? 0;
    const pageCount = Math.max(1, Math.ceil(total / pageSize));
    const current = Math.min(Math.max(0, Math.trunc(page) || 0), pageCount - 1);
    const rows = this.db
      .select()
      .from(tasks)
      .where(where)
      // Soonest due first, undated after, then oldest first.
      .orderBy(sql`${tasks.dueAt} is null`, asc(tasks.dueAt), asc(tasks.number))
      .limit(pageSize)
      .offset(current * pageSize)
      .all();
    return { tasks: rows, total, page: current, pageCount };
  }

  /**
   * Tasks for an `id` autocomplete: a number prefix ("1" → #1, #12, #105…) or words of the title.
   * At most `limit` (Discord shows 25), soonest due first.
   */
  search(guildId: string, filter: TaskListFilter, query: string, limit = 25): Task[] {
    const conditions = [eq(tasks.guildId, guildId), inArray(tasks.status, [...filter.statuses])];
    if (filter.skill) conditions.push(eq(tasks.skill, filter.skill));
    if (filter.claimantId) conditions.push(eq(tasks.claimantId, filter.claimantId));
    const text = query.trim().replace(/^#/, '');
    if (/^\d+$/.test(text)) {
      conditions.push(sql`cast(${tasks.number} as text) like ${`${text}%`}`);
    } else if (text) {
      // LIKE wildcards typed by the member are matched literally.
      const pattern = `%${text.slice(0, 100).replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      conditions.push(sql`${tasks.title} like ${pattern} escape '\\'`);
    }
    return this.db
      .select()
      .from(tasks)
      .where(and(...conditions))
      .orderBy(sql`${tasks.dueAt} is null`, asc(tasks.dueAt), asc(tasks.number))
      .limit(limit)
      .all();
  }

  stats(guildId: string): TaskStats {
    const since = this.clock.now() - STATS_DAYS * DAY_MS;
    const grouped = this.db
      .select({ skill: tasks.skill, status: tasks.status, n: count() })
      .from(tasks)
      .where(eq(tasks.guildId, guildId))
      .groupBy(tasks.skill, tasks.status)
      .all();
    const bySkill = new Map<string, SkillCounts>();
    for (const row of grouped) {
      const entry = bySkill.get(row.skill) ?? { skill: row.skill, open: 0, claimed: 0, done: 0 };
      if (row.status === 'open' || row.status === 'claimed' || row.status === 'done') entry[row.status] += row.n;
      bySkill.set(row.skill, entry);
    }
    const recent = and(eq(tasks.guildId, guildId), eq(tasks.status, 'done'), gte(tasks.doneAt, since));
    const completedRecently = this.db.select({ n: count() }).from(tasks).where(recent).get()?.n ?? 0;
    const optedOut = this.db
      .select({ userId: taskLeaderboardOptOuts.userId })
      .from(taskLeaderboardOptOuts)
      .where(eq(taskLeaderboardOptOuts.guildId, guildId));
    const completed = count();
    const leaderboard = this.db
      .select({ userId: tasks.claimantId, completed })
      .from(tasks)
      .where(and(recent, isNotNull(tasks.claimantId), notInArray(tasks.claimantId, optedOut)))
      .groupBy(tasks.claimantId)
      // Ties go to whoever reached the count first.
      .orderBy(desc(completed), asc(max(tasks.doneAt)))
      .limit(LEADERBOARD_SIZE)
      .all()
      .flatMap((row) => (row.userId ? [{ userId: row.userId, completed: row.completed }] : []));
    return {
      perSkill: [...bySkill.values()].filter((entry) => entry.open + entry.claimed + entry.done > 0),
      completedRecently,
      leaderboard,
      days: STATS_DAYS,
    };
  }

  // ---- creating and editing ------------------------------------------------------------------

  create(guildId: string, input: NewTaskInput, creatorId: string | null): Task {
    const now = this.clock.now();
    const values = {
      title: validateTitle(input.title),
      description: validateDescription(input.description),
      skill: validateSkill(input.skill),
      dueAt: input.due ? parseDueDate(input.due, now) : null,
      link: input.link ? validateLink(input.link) : null,
    };
    return this.insert(guildId, { ...values, origin: 'manual', creatorId }, now) as Task;
  }

  /**
   * Creates a generated task (origin such as `translation:<slug>`) unless one with that origin is
   * still open or claimed; returns undefined when it already exists. The partial unique index
   * makes this safe even if two runs overlap.
   */
  createGenerated(
    guildId: string,
    input: { title: string; description: string; skill: Skill; origin: string },
  ): Task | undefined {
    if (input.origin === 'manual') throw new Error('generated tasks need an origin other than "manual"');
    return this.insert(
      guildId,
      {
        title: input.title.slice(0, TITLE_MAX),
        description: input.description.slice(0, DESCRIPTION_MAX),
        skill: input.skill,
        dueAt: null,
        link: null,
        origin: input.origin,
        creatorId: null,
      },
      this.clock.now(),
      true,
    );
  }

  private insert(
    guildId: string,
    values: Pick<Task, 'title' | 'description' | 'skill' | 'dueAt' | 'link' | 'origin' | 'creatorId'>,
    now: number,
    ignoreDuplicate = false,
  ): Task | undefined {
    // The number is computed inside the INSERT, so concurrent creations cannot share one.
    const query = this.db.insert(tasks).values({
      guildId,
      number: sql`(select coalesce(max(number), 0) + 1 from tasks where guild_id = ${guildId})`,
      ...values,
      status: 'open',
      createdAt: now,
      updatedAt: now,
    });
    return ignoreDuplicate ? query.onConflictDoNothing().returning().get() : query.returning().get();
  }

  edit(guildId: string, number: number, patch: TaskPatch): Task {
    const now = this.clock.now();
    const set: Partial<typeof tasks.$inferInsert> = {};
    if (patch.title != null) set.title = validateTitle(patch.title);
    if (patch.description != null) set.description = validateDescription(patch.description);
    if (patch.skill != null) set.skill = validateSkill(patch.skill);
    if (patch.due != null) {
      set.dueAt = isClearDueWord(patch.due) ? null : parseDueDate(patch.due, now);
      // A new due date deserves a fresh reminder.
      set.remindedAt = null;
    }
    if (patch.link != null) set.link = isClearDueWord(patch.link) ? null : validateLink(patch.link);
    if (Object.keys(set).length === 0) throw new DomainError('taskAdmin.errors.nothingToEdit');
    const row = this.db
      .update(tasks)
      .set({ ...set, updatedAt: now })
      .where(and(eq(tasks.guildId, guildId), eq(tasks.number, number), inArray(tasks.status, LIVE)))
      .returning()
      .get();
    if (row) return this.changed(row);
    const task = this.get(guildId, number);
    throw new DomainError('taskAdmin.errors.notEditable', { number: task.number });
  }

  // ---- state transitions ---------------------------------------------------------------------

  /**
   * Claims an open task for `userId`. Exactly one of any number of concurrent claims wins; the
   * others learn who holds it. Claiming a task you already hold confirms you are still on it.
   */
  claim(guildId: string, number: number, userId: string): { task: Task; renewed: boolean } {
    const { maxClaims } = this.getSettings(guildId);
    // A task can turn open again between our failed claim and our look at why: try again then.
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = this.clock.now();
      const won = this.db
        .update(tasks)
        .set(claimedBy(userId, now))
        .where(
          and(
            eq(tasks.guildId, guildId),
            eq(tasks.number, number),
            eq(tasks.status, 'open'),
            sql`(select count(*) from tasks as held where held.guild_id = ${guildId} and held.claimant_id = ${userId} and held.status = 'claimed') < ${maxClaims}`,
          ),
        )
        .returning()
        .get();
      if (won) return { task: this.changed(won), renewed: false };

      const task = this.get(guildId, number);
      if (task.status === 'claimed' && task.claimantId === userId) {
        const renewed = this.db
          .update(tasks)
          .set({ activityAt: now, idleWarnedAt: null, updatedAt: now })
          .where(and(eq(tasks.id, task.id), eq(tasks.status, 'claimed'), eq(tasks.claimantId, userId)))
          .returning()
          .get();
        if (renewed) return { task: renewed, renewed: true };
        continue;
      }
      if (task.status === 'claimed' && task.claimantId) {
        throw new DomainError('task.errors.alreadyClaimed', { number, userId: task.claimantId });
      }
      this.throwIfFinished(task);
      if (task.status === 'open' && this.claimedCount(guildId, userId) >= maxClaims) {
        throw new DomainError('task.errors.claimLimit', { count: maxClaims });
      }
    }
    throw new DomainError('task.errors.busy', { number });
  }

  /** Gives a claimed task back to the board. Only the claimant or staff. */
  release(guildId: string, number: number, actor: Actor): { task: Task; formerClaimantId: string } {
    const before = this.get(guildId, number);
    const now = this.clock.now();
    const row = this.reopenClaim(before, now, actor.staff ? undefined : eq(tasks.claimantId, actor.userId));
    if (row) return { task: this.changed(row), formerClaimantId: before.claimantId ?? '' };
    const task = this.get(guildId, number);
    this.throwIfFinished(task);
    if (task.status === 'open') throw new DomainError('task.errors.notClaimed', { number });
    // Staff lose only a race with a newer claim; members may not release someone else's.
    if (actor.staff) throw new DomainError('task.errors.busy', { number });
    throw new DomainError('task.errors.notYours', { number, userId: task.claimantId ?? '' });
  }

  /** Marks a task done. The claimant or staff; staff may also close an unclaimed task. */
  complete(guildId: string, number: number, actor: Actor, note?: string | null): Task {
    const cleanNote = note?.trim() ? note.trim() : null;
    if (cleanNote && cleanNote.length > NOTE_MAX) {
      throw new DomainError('task.errors.noteTooLong', { max: NOTE_MAX, length: cleanNote.length });
    }
    const now = this.clock.now();
    const mayComplete = actor.staff
      ? inArray(tasks.status, LIVE)
      : and(eq(tasks.status, 'claimed'), eq(tasks.claimantId, actor.userId));
    const row = this.db
      .update(tasks)
      .set({ status: 'done', doneAt: now, doneNote: cleanNote, updatedAt: now })
      .where(and(eq(tasks.guildId, guildId), eq(tasks.number, number), mayComplete))
      .returning()
      .get();
    if (row) return this.changed(row);
    const task = this.get(guildId, number);
    this.throwIfFinished(task);
    if (task.status === 'open') throw new DomainError('task.errors.claimFirst', { number });
    throw new DomainError('task.errors.notYours', { number, userId: task.claimantId ?? '' });
  }

  cancel(guildId: string, number: number): Task {
    const now = this.clock.now();
    const row = this.db
      .update(tasks)
      .set({ ...UNCLAIMED, status: 'cancelled', updatedAt: now })
      .where(and(eq(tasks.guildId, guildId), eq(tasks.number, number), inArray(tasks.status, LIVE)))
      .returning()
      .get();
    if (row) return this.changed(row);
    this.throwIfFinished(this.get(guildId, number));
    throw new DomainError('task.errors.busy', { number });
  }

  /** A moderator hands a task to a member (the claim limit is theirs to judge). */
  assign(guildId: string, number: number, userId: string): { task: Task; previousClaimantId: string | null } {
    const before = this.get(guildId, number);
    this.throwIfFinished(before);
    const now = this.clock.now();
    const row = this.db
      .update(tasks)
      .set(claimedBy(userId, now))
      .where(and(eq(tasks.id, before.id), inArray(tasks.status, LIVE)))
      .returning()
      .get();
    if (row) return { task: this.changed(row), previousClaimantId: before.claimantId };
    this.throwIfFinished(this.get(guildId, number));
    throw new DomainError('task.errors.busy', { number });
  }

  private throwIfFinished(task: Task): void {
    if (task.status === 'done') throw new DomainError('task.errors.alreadyDone', { number: task.number });
    if (task.status === 'cancelled') throw new DomainError('task.errors.cancelled', { number: task.number });
  }

  // ---- announcements -------------------------------------------------------------------------

  setAnnouncement(taskId: number, channelId: string | null, messageId: string | null): void {
    this.db
      .update(tasks)
      .set({ announcementChannelId: channelId, announcementMessageId: messageId })
      .where(eq(tasks.id, taskId))
      .run();
  }

  // ---- jobs ----------------------------------------------------------------------------------

  /** Claimed tasks past their due date whose claimant has not been reminded recently. */
  overdueToRemind(): Task[] {
    const now = this.clock.now();
    return this.db
      .select()
      .from(tasks)
      .where(
        and(
          eq(tasks.status, 'claimed'),
          isNotNull(tasks.claimantId),
          lt(tasks.dueAt, now),
          or(isNull(tasks.remindedAt), lte(tasks.remindedAt, now - REMIND_EVERY_MS)),
        ),
      )
      .orderBy(asc(tasks.id))
      .all();
  }

  /** Records a reminder for this claim only (a claim changed meanwhile keeps its own state). */
  markReminded(task: Task): boolean {
    if (!task.claimantId) return false;
    const result = this.db
      .update(tasks)
      .set({ remindedAt: this.clock.now() })
      .where(and(eq(tasks.id, task.id), eq(tasks.status, 'claimed'), eq(tasks.claimantId, task.claimantId)))
      .run();
    return result.changes > 0;
  }

  /** Records the warning unless the claimant confirmed the claim meanwhile (their new idle period gets its own). */
  markIdleWarned(task: Task): boolean {
    if (!task.claimantId || task.activityAt === null) return false;
    const result = this.db
      .update(tasks)
      .set({ idleWarnedAt: this.clock.now() })
      .where(
        and(
          eq(tasks.id, task.id),
          eq(tasks.status, 'claimed'),
          eq(tasks.claimantId, task.claimantId),
          eq(tasks.activityAt, task.activityAt),
        ),
      )
      .run();
    return result.changes > 0;
  }

  /** Guilds that have at least one claimed task (the only ones the reminder job needs to visit). */
  guildsWithClaims(): string[] {
    return this.db
      .selectDistinct({ guildId: tasks.guildId })
      .from(tasks)
      .where(eq(tasks.status, 'claimed'))
      .all()
      .map((row) => row.guildId);
  }

  /**
   * Claims that will be released soon for inactivity and whose claimant was not warned yet.
   * The warning comes a few days before (up to 3, at most half the idle period).
   */
  idleWarningsDue(guildId: string): IdleWarning[] {
    const { idleDays } = this.getSettings(guildId);
    const noticeDays = Math.min(3, Math.floor(idleDays / 2));
    if (noticeDays < 1) return [];
    const now = this.clock.now();
    const releaseCutoff = now - idleDays * DAY_MS;
    const warnCutoff = now - (idleDays - noticeDays) * DAY_MS;
    return this.db
      .select()
      .from(tasks)
      .where(
        and(
          eq(tasks.guildId, guildId),
          eq(tasks.status, 'claimed'),
          isNotNull(tasks.claimantId),
          isNull(tasks.idleWarnedAt),
          lte(tasks.activityAt, warnCutoff),
          sql`${tasks.activityAt} > ${releaseCutoff}`,
        ),
      )
      .all()
      .map((task) => ({ task, releaseAt: (task.activityAt ?? now) + idleDays * DAY_MS }));
  }

  /** Releases claims idle for the guild's configured days; each release is its own atomic update. */
  releaseIdle(guildId: string): IdleRelease[] {
    const { idleDays } = this.getSettings(guildId);
    const now = this.clock.now();
    const cutoff = now - idleDays * DAY_MS;
    const candidates = this.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.guildId, guildId), eq(tasks.status, 'claimed'), lte(tasks.activityAt, cutoff)))
      .all();
    const released: IdleRelease[] = [];
    for (const candidate of candidates) {
      const row = this.reopenClaim(candidate, now, lte(tasks.activityAt, cutoff));
      if (row) released.push({ task: this.changed(row), formerClaimantId: candidate.claimantId ?? '', idleDays });
    }
    return released;
  }

  /**
   * Puts a task back to open only if it still holds the very claim we looked at (and `condition`),
   * so a release never drops a newer claim that won a race. Returns the row, or undefined.
   */
  private reopenClaim(observed: Pick<Task, 'id' | 'claimantId'>, now: number, condition?: SQL) {
    return this.db
      .update(tasks)
      .set({ ...UNCLAIMED, status: 'open', updatedAt: now })
      .where(
        and(
          eq(tasks.id, observed.id),
          eq(tasks.status, 'claimed'),
          observed.claimantId ? eq(tasks.claimantId, observed.claimantId) : isNull(tasks.claimantId),
          condition,
        ),
      )
      .returning()
      .get();
  }

  /** Live tasks made from one origin prefix (e.g. every `translation:` task) in a guild. */
  liveGenerated(guildId: string, originPrefix: string): Task[] {
    return this.db
      .select()
      .from(tasks)
      .where(
        and(
          eq(tasks.guildId, guildId),
          inArray(tasks.status, LIVE),
          sql`substr(${tasks.origin}, 1, ${originPrefix.length}) = ${originPrefix}`,
        ),
      )
      .orderBy(asc(tasks.number))
      .all();
  }

  /** Closes a generated task whose work happened elsewhere (e.g. the guide was translated). */
  closeGenerated(task: Task, outcome: 'done' | 'cancelled', note: string | null): Task | undefined {
    const now = this.clock.now();
    const row = this.db
      .update(tasks)
      .set(
        outcome === 'done'
          ? { status: 'done', doneAt: now, doneNote: note, updatedAt: now }
          : { ...UNCLAIMED, status: 'cancelled', updatedAt: now },
      )
      .where(and(eq(tasks.id, task.id), inArray(tasks.status, LIVE)))
      .returning()
      .get();
    return row ? this.changed(row) : undefined;
  }

  // ---- leaderboard opt-out and privacy -------------------------------------------------------

  /** `/privacy leaderboard hide|show` calls this; hidden members never appear in /task stats. */
  setLeaderboardOptOut(guildId: string, userId: string, optOut: boolean): void {
    if (optOut) {
      this.db
        .insert(taskLeaderboardOptOuts)
        .values({ guildId, userId, createdAt: this.clock.now() })
        .onConflictDoNothing()
        .run();
    } else {
      this.db
        .delete(taskLeaderboardOptOuts)
        .where(and(eq(taskLeaderboardOptOuts.guildId, guildId), eq(taskLeaderboardOptOuts.userId, userId)))
        .run();
    }
  }

  isLeaderboardOptOut(guildId: string, userId: string): boolean {
    return (
      this.db
        .select({ userId: taskLeaderboardOptOuts.userId })
        .from(taskLeaderboardOptOuts)
        .where(and(eq(taskLeaderboardOptOuts.guildId, guildId), eq(taskLeaderboardOptOuts.userId, userId)))
        .get() !== undefined
    );
  }

  describe(guildId: string, userId: string, lang: Language): StoredItem[] {
    const mine = this.db
      .select({ number: tasks.number, status: tasks.status, claimantId: tasks.claimantId, creatorId: tasks.creatorId })
      .from(tasks)
      .where(and(eq(tasks.guildId, guildId), or(eq(tasks.claimantId, userId), eq(tasks.creatorId, userId))))
      .orderBy(asc(tasks.number))
      .all();
    const claimed = mine.filter((task) => task.claimantId === userId && task.status === 'claimed').map((task) => `#${task.number}`);
    const completed = mine.filter((task) => task.claimantId === userId && task.status === 'done').map((task) => `#${task.number}`);
    const created = mine.filter((task) => task.creatorId === userId).length;
    const optOut = this.isLeaderboardOptOut(guildId, userId);
    const lines: string[] = [];
    if (claimed.length > 0) lines.push(t(lang, 'task.privacy.claimed', { tasks: claimed.join(', ') }));
    if (completed.length > 0) lines.push(t(lang, 'task.privacy.completed', { count: completed.length, tasks: completed.join(', ') }));
    if (created > 0) lines.push(t(lang, 'task.privacy.created', { count: created }));
    if (optOut) lines.push(t(lang, 'task.privacy.leaderboardHidden'));
    return lines.length === 0 ? [] : [{ category: t(lang, 'task.privacy.category'), lines }];
  }

  /**
   * Erases the member from the board: their claims return to open, their name comes off completed
   * and created tasks (the tasks stay for the others), and the opt-out row goes.
   */
  erase(guildId: string, userId: string): number {
    const now = this.clock.now();
    const { reopened, changes } = this.db.transaction((tx) => {
      const reopenedRows = tx
        .update(tasks)
        .set({ ...UNCLAIMED, status: 'open', updatedAt: now })
        .where(and(eq(tasks.guildId, guildId), eq(tasks.claimantId, userId), eq(tasks.status, 'claimed')))
        .returning()
        .all();
      const credits = tx
        .update(tasks)
        .set({ claimantId: null, claimedAt: null, updatedAt: now })
        .where(and(eq(tasks.guildId, guildId), eq(tasks.claimantId, userId)))
        .run().changes;
      const created = tx
        .update(tasks)
        .set({ creatorId: null, updatedAt: now })
        .where(and(eq(tasks.guildId, guildId), eq(tasks.creatorId, userId)))
        .run().changes;
      const optOut = tx
        .delete(taskLeaderboardOptOuts)
        .where(and(eq(taskLeaderboardOptOuts.guildId, guildId), eq(taskLeaderboardOptOuts.userId, userId)))
        .run().changes;
      return { reopened: reopenedRows, changes: reopenedRows.length + credits + created + optOut };
    });
    for (const task of reopened) this.changed(task);
    return changes;
  }
}

const UNCLAIMED = {
  claimantId: null,
  claimedAt: null,
  activityAt: null,
  remindedAt: null,
  idleWarnedAt: null,
} as const;

function validateTitle(value: string): string {
  const title = value.trim();
  if (title.length === 0 || title.length > TITLE_MAX) {
    throw new DomainError('taskAdmin.errors.titleLength', { max: TITLE_MAX, length: title.length });
  }
  return title;
}

function validateDescription(value: string): string {
  const description = value.trim();
  if (description.length === 0 || description.length > DESCRIPTION_MAX) {
    throw new DomainError('taskAdmin.errors.descriptionLength', { max: DESCRIPTION_MAX, length: description.length });
  }
  return description;
}

function validateSkill(value: string): Skill {
  if (!isSkill(value)) throw new DomainError('taskAdmin.errors.unknownSkill', { value: value.slice(0, 40) });
  return value;
}

function validateLink(value: string): string {
  const parsed = httpsUrl.safeParse(value);
  if (!parsed.success) throw new DomainError('errors.invalidHttpsUrl', { value: value.trim().slice(0, 100) });
  return parsed.data;
}

import type { Db } from '../../db/client.js';
import { translateDynamic, type Language } from '../../i18n/index.js';
import type { Logger } from '../../logger.js';
import type { AdvocacyService } from '../advocacy/advocacy-service.js';
import type { Clock } from '../clock.js';
import type { FeedService, TakenItem } from '../feeds/feed-service.js';
import type { GuildSettings, GuildSettingsService } from '../guild-settings.js';
import { claimRun, runExists, setRunPostCount, type RunKind } from '../schedules/runs.js';
import type { Schedule, ScheduleService } from '../schedules/schedule-service.js';
import type { SourcedUpdate, UpdateService } from '../updates/update-service.js';
import { bilingual, postLanguages } from './languages.js';
import { COLORS, packBlocks, type PostMessage } from './message.js';
import type { OutboxDraft, OutboxPost, OutboxStore } from './outbox.js';
import type { DbOrTx } from './sequence.js';
import type { SupportDigest, TaskDigest, TeamDigestSource } from './team-digest.js';

export type RunStatus = 'posted' | 'nothing' | 'duplicate' | 'skipped';

export interface RunOutcome {
  status: RunStatus;
  scheduleId: number;
  fireTime: number;
  runId?: number;
  posts: number;
  /** Why nothing was posted, as an i18n key suffix under `schedule.runReasons`. */
  reason?: 'noAction' | 'nothingQueued' | 'unavailable' | 'paused' | 'missing';
}

/** Feeds are re-fetched by an `updates` run when their last fetch is older than this. */
export const FEED_REFRESH_ON_RUN_MS = 60_000;

export interface PostRunDeps {
  schedules: ScheduleService;
  outbox: OutboxStore;
  advocacy: AdvocacyService;
  updates: UpdateService;
  feeds: FeedService;
  settings: GuildSettingsService;
  digests: TeamDigestSource;
}

/**
 * Runs a schedule once for a fire time. The run key, the choice of what to post (marking it taken)
 * and the outbox rows are written in ONE synchronous transaction: a run exists with all of its
 * posts or not at all, and a second attempt for the same key posts nothing. Sending happens later,
 * in the delivery worker.
 */
export class PostRunService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly deps: PostRunDeps,
  ) {}

  async run(scheduleId: number, fireTime: number, kind: RunKind): Promise<RunOutcome> {
    const base = { scheduleId, fireTime, posts: 0 };
    const schedule = this.deps.schedules.byId(scheduleId);
    if (!schedule) return { ...base, status: 'skipped', reason: 'missing' };
    if (kind !== 'manual' && !schedule.enabled) return { ...base, status: 'skipped', reason: 'paused' };
    if (runExists(this.db, scheduleId, fireTime)) return { ...base, status: 'duplicate' };
    if (schedule.job === 'updates') {
      // Network first, outside the transaction; a failing feed is counted, never thrown.
      await this.deps.feeds.refreshDue({ guildId: schedule.guildId, olderThanMs: FEED_REFRESH_ON_RUN_MS });
    }
    const outcome = this.db.transaction((tx): RunOutcome => {
      // Re-read inside the transaction: paused or removed while feeds were fetched.
      const current = this.deps.schedules.byId(scheduleId);
      if (!current) return { ...base, status: 'skipped', reason: 'missing' };
      if (kind !== 'manual' && !current.enabled) return { ...base, status: 'skipped', reason: 'paused' };
      const now = this.clock.now();
      const run = claimRun(tx, current, fireTime, kind, now);
      if (!run) return { ...base, status: 'duplicate' };
      const { drafts, reason } = this.select(tx, current, run.id);
      for (const draft of drafts) this.deps.outbox.enqueue(tx, draft);
      setRunPostCount(tx, run.id, drafts.length);
      return { ...base, runId: run.id, posts: drafts.length, status: drafts.length > 0 ? 'posted' : 'nothing', reason };
    });
    if (outcome.posts > 0) this.deps.outbox.notify();
    this.logger.info(
      { guildId: schedule.guildId, scheduleId, job: schedule.job, fireTime, kind, status: outcome.status, posts: outcome.posts },
      'schedule run',
    );
    return outcome;
  }

  /** `/schedule run`: runs now, outside the timetable, without moving the next fire time. */
  async runNow(guildId: string, number: number): Promise<{ schedule: Schedule; outcome: RunOutcome }> {
    const schedule = this.deps.schedules.get(guildId, number);
    let fireTime = this.clock.now();
    let outcome = await this.run(schedule.id, fireTime, 'manual');
    // Two manual runs in the same millisecond would share a key; the second takes the next one.
    for (let attempt = 0; outcome.status === 'duplicate' && attempt < 5; attempt++) {
      fireTime += 1;
      outcome = await this.run(schedule.id, fireTime, 'manual');
    }
    return { schedule, outcome };
  }

  /**
   * Runs every enabled schedule whose stored next fire time passed more than `graceMs` ago, once,
   * with that stored fire time as its key: downtime of any length yields one catch-up run.
   */
  async catchUp(graceMs = 0): Promise<RunOutcome[]> {
    const outcomes: RunOutcome[] = [];
    for (const schedule of this.deps.schedules.due(this.clock.now() - graceMs)) {
      if (schedule.nextRunAt === null) continue;
      try {
        outcomes.push(await this.run(schedule.id, schedule.nextRunAt, 'catch-up'));
      } catch (error) {
        this.logger.error({ err: error, scheduleId: schedule.id }, 'catch-up run failed');
      }
    }
    return outcomes;
  }

  /** Tells the mod log that a post could not be delivered (unless that post was for the mod log). */
  reportDeliveryFailure(post: OutboxPost, reason: string): void {
    const settings = this.deps.settings.get(post.guildId);
    const modlog = settings.modlogChannelId;
    if (!modlog || post.channelId === modlog || post.kind === 'notice') return;
    const languages = postLanguages(settings.defaultLanguage);
    this.deps.outbox.post({
      guildId: post.guildId,
      channelId: modlog,
      kind: 'notice',
      refId: post.id,
      message: {
        embeds: [
          {
            title: bilingual(languages, 'posts.notice.deliveryFailedTitle'),
            description: languages
              .map((lang) => translateDynamic(lang, 'posts.notice.deliveryFailed', { channel: `<#${post.channelId}>`, reason: reason.slice(0, 200) }))
              .join('\n\n'),
            color: COLORS.notice,
          },
        ],
      },
    });
  }

  private select(tx: DbOrTx, schedule: Schedule, runId: number): { drafts: OutboxDraft[]; reason?: RunOutcome['reason'] } {
    const settings = this.deps.settings.get(schedule.guildId);
    const draft = (message: PostMessage, kind: OutboxDraft['kind'], refId: number | null, channelId = schedule.channelId): OutboxDraft => ({
      guildId: schedule.guildId,
      channelId,
      kind,
      message,
      runId,
      scheduleId: schedule.id,
      refId,
    });
    switch (schedule.job) {
      case 'advocacy': {
        const action = this.deps.advocacy.pickForRun(tx, schedule.guildId);
        if (!action) return { drafts: [], reason: 'noAction' };
        return { drafts: [draft(this.deps.advocacy.render(action, settings.defaultLanguage), 'advocacy', action.id)] };
      }
      case 'updates': {
        const updates = this.deps.updates.takeQueued(tx, schedule.guildId, runId);
        const items = this.deps.feeds.takeQueued(tx, schedule.guildId, runId);
        if (updates.length === 0 && items.length === 0) return { drafts: [], reason: 'nothingQueued' };
        if (schedule.digest) return { drafts: this.digestDrafts(schedule, settings, updates, items, draft) };
        return {
          drafts: [
            ...updates.map((update) => draft(this.deps.updates.render(update, settings.defaultLanguage), 'update', update.id)),
            ...items.map((taken) =>
              draft(this.deps.feeds.render(taken, settings.defaultLanguage), 'feed-item', taken.item.id, taken.feed.channelId ?? schedule.channelId),
            ),
          ],
        };
      }
      case 'support-digest': {
        const digest = this.deps.digests.support(schedule.guildId, this.clock.now());
        if (!digest) return { drafts: [], reason: 'unavailable' };
        return { drafts: [draft(renderSupportDigest(digest, settings), 'team-digest', null)] };
      }
      case 'task-digest': {
        const digest = this.deps.digests.tasks(schedule.guildId, this.clock.now());
        if (!digest) return { drafts: [], reason: 'unavailable' };
        return { drafts: [draft(renderTaskDigest(digest, settings), 'team-digest', null)] };
      }
    }
  }

  /** Everything queued since the last run as one message per channel (split only to stay within limits). */
  private digestDrafts(
    schedule: Schedule,
    settings: GuildSettings,
    updates: SourcedUpdate[],
    items: TakenItem[],
    draft: (message: PostMessage, kind: OutboxDraft['kind'], refId: number | null, channelId?: string) => OutboxDraft,
  ): OutboxDraft[] {
    const languages = postLanguages(settings.defaultLanguage);
    const byChannel = new Map<string, string[]>();
    const add = (channelId: string, block: string) => byChannel.set(channelId, [...(byChannel.get(channelId) ?? []), block]);
    for (const update of updates) add(schedule.channelId, this.deps.updates.digestBlock(update));
    for (const taken of items) add(taken.feed.channelId ?? schedule.channelId, this.deps.feeds.digestBlock(taken));
    const drafts: OutboxDraft[] = [];
    for (const [channelId, blocks] of byChannel) {
      const pages = packBlocks(blocks);
      pages.forEach((page, index) => {
        const title =
          pages.length === 1
            ? bilingual(languages, 'posts.digest.title', { count: blocks.length })
            : bilingual(languages, 'posts.digest.titlePart', { count: blocks.length, part: index + 1, total: pages.length });
        drafts.push(draft({ embeds: [{ title, description: page, color: COLORS.digest }] }, 'digest', null, channelId));
      });
    }
    return drafts;
  }
}

function line(languages: readonly Language[], key: string, count: number): string {
  return `**${count}** · ${languages.map((lang) => translateDynamic(lang, key)).join(' · ')}`;
}

/** A digest for the team: counts, the oldest open items, and where to act on them. */
function teamDigest(
  settings: GuildSettings,
  kind: 'support' | 'tasks',
  counts: readonly (readonly [key: string, count: number])[],
  oldest: readonly string[],
  channelId: string | null,
): PostMessage {
  const languages = postLanguages(settings.defaultLanguage);
  const lines = counts.map(([key, count]) => line(languages, `posts.teamDigest.${kind}${key}`, count));
  const fields = oldest.length ? [{ name: bilingual(languages, `posts.teamDigest.${kind}Oldest`), value: oldest.join('\n') }] : [];
  const where = channelId ? `\n\n${bilingual(languages, `posts.teamDigest.${kind}Where`, { channel: `<#${channelId}>` })}` : '';
  return {
    embeds: [{ title: bilingual(languages, `posts.teamDigest.${kind}Title`), description: `${lines.join('\n')}${where}`, fields, color: COLORS.digest }],
  };
}

export function renderSupportDigest(digest: SupportDigest, settings: GuildSettings): PostMessage {
  const counts = [
    ['Open', digest.open],
    ['Waiting', digest.waiting],
    ['Urgent', digest.urgent],
    ['Unanswered', digest.unanswered],
    ['Closed', digest.closedLast7Days],
  ] as const;
  const oldest = digest.oldest.map(
    (request) => `support-${String(request.number).padStart(4, '0')}${request.threadId ? ` · <#${request.threadId}>` : ''}`,
  );
  return teamDigest(settings, 'support', counts, oldest, settings.triageChannelId);
}

export function renderTaskDigest(digest: TaskDigest, settings: GuildSettings): PostMessage {
  const counts = [
    ['Open', digest.open],
    ['Claimed', digest.claimed],
    ['Overdue', digest.overdue],
    ['Done', digest.doneLast7Days],
  ] as const;
  const oldest = digest.oldestOpen.map((task) => `#${task.number} ${task.title.length > 80 ? `${task.title.slice(0, 79)}…` : task.title}`);
  return teamDigest(settings, 'tasks', counts, oldest, settings.tasksChannelId);
}

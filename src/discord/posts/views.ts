import type { Guild, GuildMember } from 'discord.js';
import { missingChannelPermissions, type ChannelPurpose } from '../channel-permissions.js';
import { hasSeconds, shortestInterval } from '../../domain/schedules/cron.js';
import type { Schedule } from '../../domain/schedules/schedule-service.js';
import { DomainError } from '../../domain/errors.js';
import type { GuildSettings } from '../../domain/guild-settings.js';
import { discordTimestamp } from '../../domain/posts/message.js';
import { t, translateDynamic, type Language } from '../../i18n/index.js';
import type { AutocompleteContext } from '../types.js';
import { isModerator } from '../guards.js';

/** `/action` and `/update` are staff commands that moderators (not all support volunteers) may use. */
export function assertModerator(member: GuildMember, settings: GuildSettings): void {
  if (!isModerator(member, settings)) throw new DomainError('posts.moderatorOnly');
}

/** A fire time in the schedule's own zone, in the reader's language, e.g. "Mon, 24 Nov 2026, 09:00". */
export function localTime(ms: number, timezone: string, lang: Language, withSeconds: boolean): string {
  return new Intl.DateTimeFormat(lang === 'es' ? 'es-ES' : 'en-GB', {
    timeZone: timezone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
  }).format(new Date(ms));
}

/** The next runs as lines: Discord's own timestamp (reader's zone) and the schedule's zone. */
export function runLines(runs: readonly number[], cron: string, timezone: string, lang: Language): string[] {
  const seconds = hasSeconds(cron);
  return runs.map(
    (run) => `• ${t(lang, 'schedule.runLine', { when: discordTimestamp(run, 'F'), local: `${localTime(run, timezone, lang, seconds)} (${timezone})` })}`,
  );
}

/** A warning line when the schedule would post more than once a minute. */
export function frequencyWarning(runs: readonly number[], lang: Language): string | null {
  const gap = shortestInterval(runs);
  return gap !== null && gap < 60_000 ? t(lang, 'schedule.frequent', { seconds: Math.max(1, Math.round(gap / 1000)) }) : null;
}

export function jobName(job: Schedule['job'], lang: Language): string {
  return t(lang, `schedule.jobs.${job}`);
}

export function scheduleLine(schedule: Schedule, lang: Language): string {
  const head = t(lang, 'schedule.listLine', {
    id: schedule.number,
    job: jobName(schedule.job, lang),
    channel: `<#${schedule.channelId}>`,
    cron: schedule.cron,
    timezone: schedule.timezone,
    digest: schedule.digest ? t(lang, 'schedule.digestSuffix') : '',
  });
  const state = schedule.enabled
    ? schedule.nextRunAt !== null
      ? t(lang, 'schedule.stateNext', { next: discordTimestamp(schedule.nextRunAt, 'R') })
      : ''
    : t(lang, 'schedule.statePaused');
  const last = schedule.lastRunAt !== null ? t(lang, 'schedule.stateLast', { last: discordTimestamp(schedule.lastRunAt, 'R') }) : '';
  return [head, state, last].filter(Boolean).join(' · ');
}

/** Autocomplete for an `id` option: numbers whose label matches what was typed, ≤ 25. */
export async function respondWithNumbers(
  context: AutocompleteContext,
  entries: { number: number; label: string }[],
): Promise<void> {
  const typed = String(context.interaction.options.getFocused() ?? '')
    .trim()
    .toLowerCase()
    .replace(/^#/, '');
  const matches = entries
    .filter((entry) => typed === '' || String(entry.number).startsWith(typed) || entry.label.toLowerCase().includes(typed))
    .slice(0, 25)
    .map((entry) => ({ name: `#${entry.number} · ${entry.label}`.slice(0, 100), value: entry.number }));
  await context.interaction.respond(matches);
}

/** A warning line when the bot cannot post in a channel a schedule or feed will post to (null if it can). */
export async function channelWarning(guild: Guild, channelId: string, purpose: ChannelPurpose, lang: Language): Promise<string | null> {
  const channel = guild.channels.cache.get(channelId);
  if (!channel) return null;
  const missing = await missingChannelPermissions(guild, channel, purpose);
  if (missing.length === 0) return null;
  return t(lang, 'posts.channelWarning', {
    channel: `<#${channelId}>`,
    permissions: missing.map((flag) => translateDynamic(lang, `permissions.${flag}`)).join(', '),
  });
}

import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { decodeCustomId } from '../../../src/discord/custom-id.js';
import { announcementPayload, decodeListView, dueText, listPayload, skillName, statsEmbed } from '../../../src/discord/tasks/views.js';
import { SKILLS } from '../../../src/domain/tasks/skills.js';
import { DESCRIPTION_MAX, TITLE_MAX, type Task } from '../../../src/domain/tasks/task-service.js';

const NOW = Date.UTC(2026, 10, 23, 12);

function sample(overrides: Partial<Task> = {}): Task {
  return {
    id: 1,
    guildId: '100000000000000001',
    number: 12,
    title: 'T'.repeat(TITLE_MAX),
    description: 'D'.repeat(DESCRIPTION_MAX),
    skill: 'spanish-translation',
    status: 'open',
    link: `https://example.org/${'p'.repeat(490)}`,
    origin: 'translation:asylum',
    creatorId: null,
    claimantId: null,
    claimedAt: null,
    activityAt: null,
    dueAt: Date.UTC(2026, 10, 30, 23, 59, 59, 999),
    remindedAt: null,
    idleWarnedAt: null,
    doneAt: null,
    doneNote: null,
    announcementChannelId: null,
    announcementMessageId: null,
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

const embedLength = (embed: { toJSON(): { title?: string; description?: string; fields?: { name: string; value: string }[]; footer?: { text: string } } }) => {
  const json = embed.toJSON();
  return (json.title?.length ?? 0) + (json.description?.length ?? 0) + (json.footer?.text.length ?? 0) +
    (json.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);
};

describe('task views', () => {
  it('names every skill in both languages', () => {
    for (const skill of SKILLS) {
      expect(skillName('en', skill)).not.toContain('skills.');
      expect(skillName('es', skill)).not.toContain('skills.');
    }
    expect(skillName('es', 'spanish-translation')).toBe('Traducción al español');
  });

  it('shows the due date on its own calendar day', () => {
    const due = sample().dueAt ?? 0;
    const seconds = Number(/<t:(\d+):D>/.exec(dueText(due))?.[1]);
    expect(new Date(seconds * 1000).toISOString().slice(0, 10)).toBe('2026-11-30');
  });

  it('announcement buttons follow the state, and the longest task fits Discord limits', () => {
    for (const lang of ['en', 'es'] as const) {
      const open = announcementPayload(sample(), lang, NOW);
      expect(open.components.flatMap((row) => row.toJSON().components.map((c) => ('custom_id' in c ? c.custom_id : '')))).toEqual(['v1:task:claim:12']);
      expect(embedLength(open.embeds[0]!)).toBeLessThanOrEqual(6000);
      expect(open.content.length).toBeLessThanOrEqual(2000);
      const claimed = announcementPayload(sample({ status: 'claimed', claimantId: '200000000000000001' }), lang, NOW);
      expect(claimed.components[0]?.toJSON().components.map((c) => ('custom_id' in c ? c.custom_id : ''))).toEqual(['v1:task:done:12', 'v1:task:release:12']);
      expect(JSON.stringify(claimed.embeds[0]?.toJSON())).toContain('<@200000000000000001>');
      const done = announcementPayload(sample({ status: 'done', claimantId: '200000000000000001', doneNote: 'N'.repeat(500) }), lang, NOW);
      expect(done.components).toEqual([]);
      expect(embedLength(done.embeds[0]!)).toBeLessThanOrEqual(6000);
    }
    // Overdue shows as such while the task is live.
    expect(JSON.stringify(announcementPayload(sample(), 'en', Date.UTC(2026, 11, 5)).embeds[0]?.toJSON())).toContain('(overdue)');
  });

  it('list pages fit an embed and their buttons carry the view', () => {
    const tasks = Array.from({ length: 10 }, (_, i) => sample({ id: i + 1, number: i + 1, status: 'claimed', claimantId: '200000000000000001' }));
    const payload = listPayload({ tasks, total: 25, page: 1, pageCount: 3 }, { skill: 'design', mine: true }, 'es', NOW);
    const embed = payload.embeds[0]!.toJSON();
    expect(embed.description?.length).toBeLessThanOrEqual(4096);
    expect(embed.footer?.text).toContain('página 2 de 3');
    const ids = payload.components[0]!.toJSON().components.map((c) => ('custom_id' in c ? c.custom_id : ''));
    expect(ids.map((id) => decodeListView(decodeCustomId(id)?.args ?? []))).toEqual([
      { view: { skill: 'design', mine: true }, page: 0 },
      { view: { skill: 'design', mine: true }, page: 2 },
    ]);
    expect(decodeListView(['juggling', 'x', '-4'])).toEqual({ view: { skill: null, mine: false }, page: 0 });
    const empty = listPayload({ tasks: [], total: 0, page: 0, pageCount: 1 }, { skill: null, mine: false }, 'en', NOW);
    expect(empty.components).toEqual([]);
    expect(empty.embeds[0]!.toJSON().description).toContain('There are no open tasks');
  });

  it('stats render the skills, the count and the leaderboard', () => {
    const embed = statsEmbed(
      { perSkill: [{ skill: 'research', open: 2, claimed: 1, done: 4 }], completedRecently: 4, leaderboard: [{ userId: '200000000000000001', completed: 3 }], days: 30 },
      'en',
    ).toJSON();
    const text = JSON.stringify(embed);
    expect(text).toContain('**Research**: 2 open · 1 claimed · 4 done');
    expect(text).toContain('1. <@200000000000000001>: 3');
    expect(text).toContain('4 tasks completed');
  });
});

describe('task job schedules in the configuration', () => {
  const env = { DISCORD_TOKEN: 'MTAwMDAwMDAwMDAwMDAwMDAw.GtEst1.stand-in-token-for-end-to-end-tests' };

  it('default to hourly reminders and a daily translation check', () => {
    const config = loadConfig(env, false);
    expect(config.TASK_REMINDER_CRON).toBe('0 * * * *');
    expect(config.TRANSLATION_TASKS_CRON).toBe('30 5 * * *');
    expect(loadConfig({ ...env, TASK_REMINDER_CRON: '*/5 * * * * *' }, false).TASK_REMINDER_CRON).toBe('*/5 * * * * *');
  });

  it('refuse an invalid expression, naming the variable', () => {
    expect(() => loadConfig({ ...env, TASK_REMINDER_CRON: 'every hour' }, false)).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, TRANSLATION_TASKS_CRON: '61 * * * *' }, false)).toThrow(/TRANSLATION_TASKS_CRON/);
  });
});

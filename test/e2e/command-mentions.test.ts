import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_TOKEN } from '../support/bot-process.js';
import { startHarness, type Harness } from '../support/harness.js';

const WAIT = 10_000;
const text = (value: unknown) => JSON.stringify(value);

describe('messages name commands as command mentions, end to end', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.stop();
  });

  /** The ids the stand-in assigned when the bot registered its commands. */
  const ids = () => new Map(harness.standIn.guildCommands(harness.community.guildId).map((command) => [command.name, command.id]));
  const ask = (userId: string, locale: string, command: string, subcommand: string, options: Record<string, string | number | boolean> = {}) =>
    harness.standIn
      .chatInput({ guildId: harness.community.guildId, channelId: harness.community.channels.general, userId, locale, command, subcommand, options })
      .waitForMessage(undefined, WAIT);

  it('mentions /task list with its registered id, in English and in Spanish', async () => {
    const taskId = ids().get('task');
    expect(taskId).toMatch(/^\d{17,20}$/);
    const { member } = harness.community.users;
    const english = text(await ask(member, 'en-US', 'task', 'show', { id: 999 }));
    expect(english).toContain('There is no task #999 in this server.');
    expect(english).toContain(`</task list:${taskId}> shows the open ones`);
    const spanish = text(await ask(member, 'es-419', 'task', 'show', { id: 999 }));
    expect(spanish).toContain('No hay ninguna tarea #999 en este servidor.');
    expect(spanish).toContain(`</task list:${taskId}> muestra las abiertas`);
    // No literal name: the Spanish client renders the mention as /tarea lista by itself.
    expect(spanish).not.toMatch(/(?<!<)\/(tarea|task) /);
  });

  it('gives staff text the same mentions (no /setup next to /configurar)', async () => {
    const triageId = ids().get('triage');
    const { spanishSupporter, supporter } = harness.community.users;
    const spanish = text(await ask(spanishSupporter, 'es-ES', 'triage', 'claim'));
    expect(spanish).toContain(`Para buscar solicitudes, usa </triage queue:${triageId}>.`);
    const english = text(await ask(supporter, 'en-GB', 'triage', 'claim'));
    expect(english).toContain(`To find requests, use </triage queue:${triageId}>.`);
  });

  it('shows the command references in a guide as mentions, in English and in Spanish', async () => {
    const supportId = ids().get('support');
    const open = (locale: string) =>
      harness.standIn
        .chatInput({ guildId: harness.community.guildId, channelId: harness.community.channels.general, userId: harness.community.users.member, locale, command: 'guide', options: { topic: 'getting-support' } })
        .waitForMessage(undefined, WAIT);
    for (const locale of ['en-US', 'es-ES']) {
      const description = (await open(locale)).embeds?.[0]?.description ?? '';
      expect(description).toContain(`</support:${supportId}>`);
      expect(description).not.toContain('{cmd:');
      expect(description).not.toMatch(/`\/(support|apoyo)`/);
    }
  });

  it('learns the ids again on a restart that skips registration', async () => {
    const before = harness.standIn.registrationCalls.length;
    const listed = harness.standIn.requests.length;
    await harness.restart();
    expect(harness.standIn.registrationCalls).toHaveLength(before);
    const route = `/applications/${harness.standIn.applicationId}/guilds/${harness.community.guildId}/commands`;
    expect(harness.standIn.requests.slice(listed).filter((request) => request.method === 'GET' && request.path === route)).toHaveLength(1);
    const reply = text(await ask(harness.community.users.member, 'es-419', 'task', 'show', { id: 999 }));
    expect(reply).toContain(`</task list:${ids().get('task')}>`);
  });

  it('registers again when a command was deleted on Discord, and mentions its new id', async () => {
    const oldId = ids().get('task')!;
    const response = await fetch(
      `${harness.standIn.apiUrl}/v10/applications/${harness.standIn.applicationId}/guilds/${harness.community.guildId}/commands/${oldId}`,
      { method: 'DELETE', headers: { Authorization: `Bot ${TEST_TOKEN}` } },
    );
    expect(response.status).toBe(204);
    expect(ids().has('task')).toBe(false);
    const before = harness.standIn.registrationCalls.length;
    await harness.restart();
    const calls = harness.standIn.registrationCalls.slice(before);
    expect(calls.map((call) => [call.method, call.status])).toEqual([['PUT', 200]]);
    const newId = ids().get('task');
    expect(newId).toBeDefined();
    expect(newId).not.toBe(oldId);
    const reply = text(await ask(harness.community.users.member, 'en-US', 'task', 'show', { id: 999 }));
    expect(reply).toContain(`</task list:${newId}>`);
    expect(reply).not.toContain(oldId);
  });

  it('left no unknown REST route and no refused request', () => {
    expect(harness.standIn.unknownRoutes).toEqual([]);
    expect(harness.standIn.requests.filter((request) => request.status >= 400).map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([]);
  });
});

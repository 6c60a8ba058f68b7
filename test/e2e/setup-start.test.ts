import { ChannelType, PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BOT_PERMISSIONS } from '../../src/stand-in/index.js';
import { eventually } from '../support/eventually.js';
import { startHarness, type Harness } from '../support/harness.js';
import { buttons, customIds } from '../support/messages.js';

const WAIT = 15_000;
const text = (value: unknown) => JSON.stringify(value);
const P = PermissionFlagsBits;

describe('a new server: the welcome and the one-step /setup start, end to end', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ configure: false, guildScoped: false });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('posts one bilingual welcome when the bot joins a server: system channel, else the first channel it may write in; never twice', async () => {
    const { standIn } = harness;
    const withSystem = standIn.createGuild({ name: 'Joined', channels: [{ name: 'general' }, { name: 'welcome', system: true }] });
    const channelsOf = (guildId: string) => standIn.state.guildChannels(guildId);
    const welcomeId = channelsOf(withSystem).find((channel) => channel.name === 'welcome')!.id;
    const welcome = await eventually(() => standIn.messagesIn(welcomeId).find((stored) => stored.message.author.id === standIn.botUserId), 'the welcome in the system channel');
    expect(welcome.message.content).toMatch(/<\/setup start:\d+>/);
    expect(welcome.message.content).toContain('Una persona administradora');
    const generalId = channelsOf(withSystem).find((channel) => channel.name === 'general')!.id;
    expect(standIn.messagesIn(generalId)).toHaveLength(0);

    // The system channel hides from the bot here, so the welcome goes to the first writable channel.
    const hidden = standIn.createGuild({
      name: 'Hidden system channel',
      channels: [{ name: 'announcements', system: true, everyoneDeny: P.ViewChannel }, { name: 'lobby' }, { name: 'chat' }],
    });
    const lobbyId = channelsOf(hidden).find((channel) => channel.name === 'lobby')!.id;
    await eventually(() => standIn.messagesIn(lobbyId).length === 1, 'the welcome in the first writable channel');
    const chatId = channelsOf(hidden).find((channel) => channel.name === 'chat')!.id;
    expect(standIn.messagesIn(chatId)).toHaveLength(0);

    // A restart sees both servers at READY and posts nothing more.
    await harness.restart();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(standIn.messagesIn(welcomeId)).toHaveLength(1);
    expect(standIn.messagesIn(lobbyId)).toHaveLength(1);
  });

  it('walks an admin through channels and roles with select menus, saves each pick, and ends with the /setup show audit', async () => {
    const { standIn, community } = harness;
    const { guildId, channels, roles, users } = community;
    const as = (userId: string) => ({ guildId, channelId: channels.general, userId, locale: 'en-US' });
    const first = await standIn.chatInput({ ...as(users.admin), command: 'setup', subcommand: 'start' }).waitForMessage(undefined, WAIT);
    expect(first.content).toContain('step 1 of 3');
    expect(first.flags ?? 0).toBe(64);
    const selects = customIds(first).filter((id) => id.includes(':pick:'));
    expect(selects).toEqual(['v1:setup:pick:channel:support', 'v1:setup:pick:channel:triage', 'v1:setup:pick:channel:modlog']);
    // Without Manage Channels and Manage Roles there is no create button, but the setup invite link.
    expect(customIds(first).some((id) => id.includes(':create'))).toBe(false);
    expect(first.content).toContain(`permissions=${(DEFAULT_BOT_PERMISSIONS | P.ManageChannels | P.ManageRoles).toString()}`);

    const picked = await standIn
      .selectMenu({ ...as(users.admin), messageId: first.id, customId: 'v1:setup:pick:channel:support', values: [channels.support] })
      .waitForMessage((message) => (message.content ?? '').includes('saved'), WAIT);
    expect(picked.content).toContain(`<#${channels.support}>`);
    // The menu now shows the saved channel as its default.
    expect(text(picked.components)).toContain(channels.support);

    // A plain member cannot start the walk-through (the admin's message is ephemeral, so only they see its menus).
    standIn.allowCommandFor(guildId, 'setup', users.member);
    const refused = await standIn.chatInput({ ...as(users.member), command: 'setup', subcommand: 'start' }).waitForMessage(undefined, WAIT);
    expect(customIds(refused)).toHaveLength(0);
    expect(refused.content).toContain('Manage Server');

    let step = picked;
    for (const [customId, channel] of [
      ['v1:setup:pick:channel:triage', channels.triage],
      ['v1:setup:pick:channel:modlog', channels.modlog],
    ] as const) {
      step = await standIn.selectMenu({ ...as(users.admin), messageId: first.id, customId, values: [channel] }).waitForMessage((message) => text(message).includes(`<#${channel}>`), WAIT);
    }
    const next = buttons(step).find((button) => button.customId === 'v1:setup:step:1');
    expect(next?.label).toBe('Next');
    const second = await standIn.clickButton({ ...as(users.admin), messageId: first.id, customId: 'v1:setup:step:1' }).waitForMessage((message) => (message.content ?? '').includes('step 2 of 3'), WAIT);
    expect(customIds(second).filter((id) => id.includes(':pick:'))).toEqual(['v1:setup:pick:channel:tasks', 'v1:setup:pick:channel:updates', 'v1:setup:pick:channel:advocacy']);
    const third = await standIn.clickButton({ ...as(users.admin), messageId: first.id, customId: 'v1:setup:step:2' }).waitForMessage((message) => (message.content ?? '').includes('step 3 of 3'), WAIT);
    expect(customIds(third).filter((id) => id.includes(':pick:'))).toHaveLength(4);

    // @everyone and managed roles are refused; nothing is stored.
    for (const bad of [guildId, standIn.botRoleId(guildId)]) {
      const answer = await standIn.selectMenu({ ...as(users.admin), messageId: first.id, customId: 'v1:setup:pick:role:support', values: [bad] }).waitForMessage(undefined, WAIT);
      expect(text(answer)).toMatch(/@everyone cannot be|another app hands it out/);
    }
    await standIn
      .selectMenu({ ...as(users.admin), messageId: first.id, customId: 'v1:setup:pick:role:moderator', values: [roles.moderator] })
      .waitForMessage((message) => text(message).includes(`<@&${roles.moderator}>`), WAIT);
    const summary = await standIn.clickButton({ ...as(users.admin), messageId: first.id, customId: 'v1:setup:step:3' }).waitForMessage((message) => (message.content ?? '').includes('Setup: done'), WAIT);
    const audit = text(summary.embeds);
    expect(audit).toContain(`<#${channels.support}>`);
    expect(audit).toContain(`<#${channels.modlog}>`);
    expect(audit).toContain(`<@&${roles.moderator}>`);
    const roleField = summary.embeds?.[0]?.fields?.find((field) => field.name === 'Roles')?.value ?? '';
    expect(roleField).toContain('Support team: not set');
    // The audit that follows flags the support role, not yet a team role, as able to see triage.
    expect(text(summary.embeds?.[1])).toContain(`<@&${roles.support}> is not a team role but can see <#${channels.triage}>`);

    const show = await standIn.chatInput({ ...as(users.admin), command: 'setup', subcommand: 'show' }).waitForMessage(undefined, WAIT);
    expect(text(show.embeds)).toContain(`<#${channels.triage}>`);
  });

  it('creates what is missing in one click, with private overwrites, never touching what existed, then says which permissions can go', async () => {
    const { standIn } = harness;
    const admin = standIn.createUser({ username: 'new_admin' });
    const guildId = standIn.createGuild({
      name: 'Fresh server',
      ownerId: admin,
      botPermissions: DEFAULT_BOT_PERMISSIONS | P.ManageChannels | P.ManageRoles,
      channels: [{ name: 'general', system: true }],
    });
    const member = standIn.createMember(guildId, { username: 'plain_member' });
    const general = standIn.state.guildChannels(guildId).find((channel) => channel.name === 'general')!;
    const generalBefore = text(standIn.state.requireChannel(general.id).overwrites.map((o) => `${o.id}:${o.type}:${o.allow}:${o.deny}`));
    const rolesBefore = [...standIn.state.requireGuild(guildId).roles.keys()];
    const as = (userId: string) => ({ guildId, channelId: general.id, userId, locale: 'en-US' });
    const start = await standIn.chatInput({ ...as(admin), command: 'setup', subcommand: 'start' }).waitForMessage(undefined, WAIT);
    const create = buttons(start).find((button) => button.customId === 'v1:setup:create');
    expect(create?.label).toBe('Create what is missing (10)');
    const done = await standIn.clickButton({ ...as(admin), messageId: start.id, customId: 'v1:setup:create' }).waitForMessage((message) => (message.content ?? '').includes('Created'), WAIT);
    expect(done.content).toContain('Manage Channels');
    expect(done.content).toContain('Manage Roles');
    expect(text(done.embeds)).toContain('The bot has every permission it needs');

    const guild = standIn.state.requireGuild(guildId);
    const newRoles = [...guild.roles.values()].filter((role) => !rolesBefore.includes(role.id));
    expect(newRoles.map((role) => role.name).sort()).toEqual(['Moderators', 'Spanish support', 'Support team', 'Volunteers']);
    expect(newRoles.every((role) => role.permissions === 0n && role.mentionable)).toBe(true);
    const byName = (name: string) => standIn.state.guildChannels(guildId).find((channel) => channel.name === name)!;
    const category = byName('staff');
    expect(category.type).toBe(ChannelType.GuildCategory);
    for (const name of ['triage', 'mod-log']) {
      const channel = byName(name);
      expect(channel.parentId).toBe(category.id);
      expect(standIn.canView(member, channel.id)).toBe(false);
      expect(standIn.canView(standIn.botUserId, channel.id)).toBe(true);
    }
    const moderators = newRoles.find((role) => role.name === 'Moderators')!;
    const moderator = standIn.createMember(guildId, { username: 'new_mod', roles: [moderators.id] });
    expect(standIn.canView(moderator, byName('triage').id)).toBe(true);
    const support = byName('support');
    const memberInSupport = standIn.permissionsFor(member, support.id);
    expect(memberInSupport & P.ViewChannel).toBe(P.ViewChannel);
    expect(memberInSupport & (P.SendMessages | P.CreatePublicThreads | P.CreatePrivateThreads | P.ManageThreads)).toBe(0n);
    for (const name of ['volunteer-tasks', 'news', 'take-action']) {
      expect(standIn.permissionsFor(member, byName(name).id) & P.SendMessages).toBe(0n);
      expect(standIn.permissionsFor(standIn.botUserId, byName(name).id) & P.SendMessages).toBe(P.SendMessages);
    }
    // What existed is untouched.
    expect(text(standIn.state.requireChannel(general.id).overwrites.map((o) => `${o.id}:${o.type}:${o.allow}:${o.deny}`))).toBe(generalBefore);

    // The new support channel works: a member's request opens a private thread there.
    const request = standIn.chatInput({ ...as(member), command: 'support' });
    await request.response();
    await standIn
      .submitModal({ ...as(member), customId: String(request.modal?.custom_id), fields: { topic: ['visa'], description: 'A private question.', language: ['en'], urgent: ['no'] } })
      .waitForMessage(undefined, WAIT);
    const threads = await eventually(() => (standIn.threadsIn(support.id).length === 1 ? standIn.threadsIn(support.id) : undefined), 'the private thread');
    const outsider = standIn.createMember(guildId, { username: 'outsider' });
    expect(standIn.canView(outsider, threads[0]!.id)).toBe(false);

    // A second click has nothing left to create.
    const again = await standIn.chatInput({ ...as(admin), command: 'setup', subcommand: 'start' }).waitForMessage(undefined, WAIT);
    expect(customIds(again)).not.toContain('v1:setup:create');
  });
});

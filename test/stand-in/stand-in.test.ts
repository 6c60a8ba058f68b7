import { once } from 'node:events';
import { inflateSync } from 'node:zlib';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayDispatchEvents,
  GatewayIntentBits,
  InteractionResponseType,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  Routes,
  SlashCommandBuilder,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
  type Interaction,
  type Message,
  type TextChannel,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DiscordStandIn, ImpossibleInteractionError, type StandInOptions } from '../../src/stand-in/index.js';

/** A guild with a text channel, a plain member, a moderator role and the bot. */
interface World {
  standIn: DiscordStandIn;
  client: Client;
  guildId: string;
  channelId: string;
  memberId: string;
  moderatorId: string;
  moderatorRoleId: string;
}

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  // Clients first (they close their sockets normally), then the stand-ins.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Stops the stand-in after the test and fails it if the stand-in itself threw or saw unexpected routes. */
async function startStandIn(options: StandInOptions = {}, expectUnknownRoutes = false): Promise<DiscordStandIn> {
  const standIn = await DiscordStandIn.start(options);
  cleanups.push(async () => {
    await standIn.stop();
    expect(standIn.internalErrors).toEqual([]);
    if (!expectUnknownRoutes) expect(standIn.unknownRoutes).toEqual([]);
  });
  return standIn;
}

/** Takes the contract violations of a test that sends invalid requests on purpose; fails on any other kind. */
function expectOnlyInvalidRequests(standIn: DiscordStandIn): void {
  const taken = standIn.contract.take();
  expect(taken.length).toBeGreaterThan(0);
  expect(taken.filter((violation) => violation.side !== 'request')).toEqual([]);
}

async function connect(standIn: DiscordStandIn, intents: GatewayIntentBits[] = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]): Promise<Client> {
  const client = new Client({ intents, rest: { api: standIn.apiUrl } });
  const clientErrors: unknown[] = [];
  client.on(Events.Error, (error) => clientErrors.push(error));
  client.on(Events.ShardError, (error) => clientErrors.push(error));
  cleanups.push(async () => {
    await client.destroy();
    expect(clientErrors).toEqual([]);
  });
  const ready = once(client, Events.ClientReady);
  await client.login(standIn.token);
  await ready;
  return client;
}

async function world(options: StandInOptions = {}, expectUnknownRoutes = false): Promise<World> {
  const standIn = await startStandIn(options, expectUnknownRoutes);
  const guildId = standIn.createGuild({ name: 'Stand-in Guild', preferredLocale: 'es-ES' });
  const moderatorRoleId = standIn.createRole(guildId, { name: 'Moderator', permissions: PermissionFlagsBits.ManageThreads });
  const memberId = standIn.createMember(guildId, { username: 'maria' });
  const moderatorId = standIn.createMember(guildId, { username: 'mo', roles: [moderatorRoleId] });
  const channelId = standIn.createChannel(guildId, { name: 'support' });
  const client = await connect(standIn);
  return { standIn, client, guildId, channelId, memberId, moderatorId, moderatorRoleId };
}

/** Runs `handler` on the next interaction the client receives and resolves with its result. */
function handleNext<T>(client: Client, handler: (interaction: Interaction) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    client.once(Events.InteractionCreate, (interaction) => {
      handler(interaction).then(resolve, reject);
    });
  });
}

async function registerGuildCommands(w: World, ...builders: SlashCommandBuilder[]): Promise<void> {
  const guild = w.client.guilds.cache.get(w.guildId);
  await guild?.commands.set(builders.map((builder) => builder.toJSON()));
}

const setupCommand = (): SlashCommandBuilder => {
  const command = new SlashCommandBuilder()
    .setName('setup')
    .setDescription('Configure the bot')
    .setNameLocalizations({ 'es-ES': 'configurar', 'es-419': 'configurar' });
  command.addSubcommand((sub) =>
    sub
      .setName('channels')
      .setDescription('Pick channels')
      .addChannelOption((option) => option.setName('support').setDescription('Support channel').setRequired(true).addChannelTypes(ChannelType.GuildText))
      .addStringOption((option) => option.setName('topic').setDescription('Topic').setAutocomplete(true)),
  );
  command.addSubcommand((sub) => sub.setName('show').setDescription('Show settings'));
  return command;
};

const apiError = async (promise: Promise<unknown>): Promise<DiscordAPIError> => {
  const error: unknown = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof DiscordAPIError)) throw new Error(`expected a DiscordAPIError, got ${String(error)}`);
  return error;
};

describe('Discord stand-in with a real discord.js client', () => {
  it('gets the client ready with the guild, its channels and only the bot as member', async () => {
    const w = await world();
    const guild = w.client.guilds.cache.get(w.guildId);
    expect(guild?.name).toBe('Stand-in Guild');
    expect(guild?.preferredLocale).toBe('es-ES');
    expect(guild?.channels.cache.get(w.channelId)?.name).toBe('support');
    expect(guild?.members.me?.id).toBe(w.standIn.applicationId);
    expect(guild?.members.cache.size).toBe(1);
    expect(w.client.user?.id).toBe(w.standIn.applicationId);
    expect(w.client.user?.bot).toBe(true);
    expect(w.standIn.identifyPayloads.at(-1)?.intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages);
    // Snowflakes are time-based, so discord.js derives sensible dates.
    expect(Math.abs((guild?.createdTimestamp ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(w.standIn.requests.find((request) => request.path === '/gateway/bot')?.authorized).toBe(true);
    expect(w.standIn.unknownRoutes).toEqual([]);
  });

  it('registers commands, counts the calls and rejects invalid definitions with 50035', async () => {
    const w = await world();
    await registerGuildCommands(w, setupCommand());
    expect(w.standIn.registrationCalls).toHaveLength(1);
    const [setup] = w.standIn.registeredCommands(w.guildId);
    expect(setup).toMatchObject({ name: 'setup', guild_id: w.guildId, name_localizations: { 'es-ES': 'configurar' } });
    // PUT keeps the id of a command that still exists.
    await registerGuildCommands(w, setupCommand());
    expect(w.standIn.registeredCommands(w.guildId)[0]?.id).toBe(setup?.id);

    const invalid = {
      name: 'Help',
      description: 'x'.repeat(101),
      name_localizations: { es: 'ayuda' },
      options: [
        { type: 3, name: 'optional', description: 'first' },
        { type: 3, name: 'required', description: 'second', required: true },
      ],
    };
    const error = await apiError(w.client.application!.commands.set([invalid]));
    expect(error.code).toBe(50035);
    const errors = JSON.stringify(error.rawError);
    expect(errors).toContain('APPLICATION_COMMAND_INVALID_NAME');
    expect(errors).toContain('BASE_TYPE_BAD_LENGTH');
    expect(errors).toContain('"es"');
    expect(errors).toContain('APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID');
    expect(w.standIn.registrationCalls).toHaveLength(3);
    expect(w.standIn.registrationCalls.at(-1)?.status).toBe(400);
    // It sent invalid requests on purpose: Discord's OpenAPI description flags them too, and nothing else.
    expectOnlyInvalidRequests(w.standIn);
  });

  it('delivers a chat-input interaction with resolved options; an ephemeral reply is recorded', async () => {
    const w = await world();
    await registerGuildCommands(w, setupCommand());
    const handled = handleNext(w.client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');
      const channel = interaction.options.getChannel('support', true);
      await interaction.reply({ content: `Saved <#${channel.id}> (${interaction.locale})`, flags: MessageFlags.Ephemeral });
      return { sub: interaction.options.getSubcommand(), channelName: channel.name, memberPermissions: interaction.memberPermissions?.has('ViewChannel') };
    });
    const handle = w.standIn.chatInput({
      guildId: w.guildId,
      channelId: w.channelId,
      userId: w.memberId,
      locale: 'es-419',
      command: 'setup',
      subcommand: 'channels',
      options: { support: w.channelId },
    });
    const reply = await handle.waitForMessage();
    await expect(handled).resolves.toEqual({ sub: 'channels', channelName: 'support', memberPermissions: true });
    expect(reply.content).toBe(`Saved <#${w.channelId}> (es-419)`);
    expect(handle.ephemeral).toBe(true);
    expect(handle.ackLatencyMs).toBeGreaterThanOrEqual(0);
    expect(handle.payload).toMatchObject({ guild_locale: 'es-ES', locale: 'es-419', context: 0, version: 1 });
    const record = w.standIn.interactionResponses.find((response) => response.interactionId === handle.id);
    expect(record).toMatchObject({ kind: 'callback', callbackType: InteractionResponseType.ChannelMessageWithSource, ephemeral: true, recipientUserId: w.memberId });
    // Ephemeral replies are not visible in the channel history.
    expect(w.standIn.messagesIn(w.channelId)).toHaveLength(0);
    expect(w.standIn.messagesIn(w.channelId, { includeEphemeral: true })).toHaveLength(1);
  });

  it('refuses impossible invocations loudly (unknown command, missing required option)', async () => {
    const w = await world();
    await registerGuildCommands(w, setupCommand());
    const base = { guildId: w.guildId, channelId: w.channelId, userId: w.memberId };
    expect(() => w.standIn.chatInput({ ...base, command: 'nope' })).toThrow(ImpossibleInteractionError);
    expect(() => w.standIn.chatInput({ ...base, command: 'setup', subcommand: 'channels' })).toThrow(/required option "support"/);
    expect(() => w.standIn.chatInput({ ...base, command: 'setup', subcommand: 'show', locale: 'es' })).toThrow(/not a Discord locale/);
  });

  it('answers a second acknowledgement with 40060 (discord.js itself refuses before sending)', async () => {
    const w = await world();
    await registerGuildCommands(w, setupCommand());
    const handled = handleNext(w.client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      await interaction.reply('first');
      const local = await interaction.reply('second').then(
        () => null,
        (error: unknown) => (error as { code?: unknown }).code,
      );
      const remote = await apiError(
        interaction.client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
          body: { type: InteractionResponseType.ChannelMessageWithSource, data: { content: 'second' } },
          auth: false,
        }),
      );
      return { local, remote: { status: remote.status, code: remote.code } };
    });
    w.standIn.chatInput({ guildId: w.guildId, channelId: w.channelId, userId: w.memberId, command: 'setup', subcommand: 'show' });
    await expect(handled).resolves.toEqual({ local: 'InteractionAlreadyReplied', remote: { status: 400, code: 40060 } });
  });

  it('rejects a reply after the acknowledgement window with 10062', async () => {
    const w = await world({ ackWindowMs: 150 });
    await registerGuildCommands(w, setupCommand());
    const handled = handleNext(w.client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      await new Promise((resolve) => setTimeout(resolve, 250));
      return apiError(interaction.reply('too late'));
    });
    const handle = w.standIn.chatInput({ guildId: w.guildId, channelId: w.channelId, userId: w.memberId, command: 'setup', subcommand: 'show' });
    const error = await handled;
    expect([error.status, error.code, error.message]).toEqual([404, 10062, 'Unknown interaction']);
    expect(handle.callback).toBeNull();
    await expect(handle.response(50)).rejects.toThrow(/no an interaction callback/);
  });

  it('defers, then editReply replaces the loading @original', async () => {
    const w = await world();
    await registerGuildCommands(w, setupCommand());
    let finish: () => void = () => undefined;
    const mayFinish = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const handled = handleNext(w.client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      await interaction.deferReply();
      await mayFinish;
      await interaction.editReply({ content: 'All set', embeds: [new EmbedBuilder().setTitle('Settings').setDescription('ok')] });
    });
    const handle = w.standIn.chatInput({ guildId: w.guildId, channelId: w.channelId, userId: w.moderatorId, command: 'setup', subcommand: 'show' });
    expect((await handle.response()).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect((handle.original?.flags ?? 0) & MessageFlags.Loading).toBe(MessageFlags.Loading);
    finish();
    const reply = await handle.waitForMessage();
    await handled;
    expect(reply.content).toBe('All set');
    expect(reply.embeds[0]).toMatchObject({ title: 'Settings', type: 'rich' });
    expect((reply.flags ?? 0) & MessageFlags.Loading).toBe(0);
    expect(handle.ephemeral).toBe(false);
    // Public replies are channel messages too, authored by the bot via the application's webhook.
    expect(w.standIn.messagesIn(w.channelId).map((stored) => stored.message.id)).toEqual([reply.id]);
    expect(reply.webhook_id).toBe(w.standIn.applicationId);
  });

  it('shows a modal built with Label components and delivers its submission', async () => {
    const w = await world();
    await registerGuildCommands(w, setupCommand());
    const shown = handleNext(w.client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      const modal = new ModalBuilder()
        .setCustomId('support-request')
        .setTitle('Ask for help')
        .addLabelComponents(
          new LabelBuilder()
            .setLabel('Where are you?')
            .setDescription('Country or region')
            .setTextInputComponent(new TextInputBuilder().setCustomId('place').setStyle(TextInputStyle.Short).setMaxLength(50)),
        );
      await interaction.showModal(modal);
    });
    const command = w.standIn.chatInput({ guildId: w.guildId, channelId: w.channelId, userId: w.memberId, command: 'setup', subcommand: 'show' });
    await shown;
    expect(command.modal).toMatchObject({ custom_id: 'support-request', components: [{ type: 18, id: 1, component: { type: 4, id: 2, custom_id: 'place' } }] });

    const submitted = handleNext(w.client, async (interaction) => {
      if (!interaction.isModalSubmit()) throw new Error('expected a modal submit');
      const place = interaction.fields.getTextInputValue('place');
      await interaction.reply({ content: `Noted: ${place}`, flags: MessageFlags.Ephemeral });
      return place;
    });
    const submit = w.standIn.submitModal({ guildId: w.guildId, channelId: w.channelId, userId: w.memberId, customId: 'support-request', fields: { place: 'Texas' } });
    expect((await submit.waitForMessage()).content).toBe('Noted: Texas');
    await expect(submitted).resolves.toBe('Texas');
    expect(submit.payload.data).toMatchObject({ components: [{ type: 18, id: 1, component: { type: 4, id: 2, custom_id: 'place', value: 'Texas' } }] });
    // A modal can't be submitted twice, or with values its limits forbid.
    expect(() => w.standIn.submitModal({ channelId: w.channelId, userId: w.memberId, customId: 'support-request', fields: { place: 'x' } })).toThrow(/never showed modal/);
  });

  it('routes a button click and an UPDATE_MESSAGE to the message the button is on', async () => {
    const w = await world();
    const channel = w.client.channels.cache.get(w.channelId) as TextChannel;
    const posted = await channel.send({
      content: 'Claim this task?',
      components: [
        new ActionRowBuilder<ButtonBuilder>().addComponents(
          new ButtonBuilder().setCustomId('claim:1').setLabel('Claim').setStyle(ButtonStyle.Primary),
          new ButtonBuilder().setURL('https://example.org').setLabel('Docs').setStyle(ButtonStyle.Link),
        ),
      ],
    });
    const handled = handleNext(w.client, async (interaction) => {
      if (!interaction.isButton()) throw new Error('expected a button');
      await interaction.update({ content: `Claimed by <@${interaction.user.id}>`, components: [] });
      return interaction.customId;
    });
    const click = w.standIn.clickButton({ guildId: w.guildId, channelId: w.channelId, userId: w.memberId, messageId: posted.id, customId: 'claim:1' });
    expect((await click.response()).type).toBe(InteractionResponseType.UpdateMessage);
    await expect(handled).resolves.toBe('claim:1');
    const updated = w.standIn.message(posted.id)?.message;
    expect(updated?.content).toBe(`Claimed by <@${w.memberId}>`);
    expect(updated?.components).toEqual([]);
    expect(click.original?.id).toBe(posted.id);
    // The button is gone now; clicking it again is impossible.
    expect(() => w.standIn.clickButton({ channelId: w.channelId, userId: w.memberId, messageId: posted.id, customId: 'claim:1' })).toThrow(ImpossibleInteractionError);
  });

  it('delivers string-select values', async () => {
    const w = await world();
    const channel = w.client.channels.cache.get(w.channelId) as TextChannel;
    const posted = await channel.send({
      content: 'Pick a language',
      components: [
        new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(
          new StringSelectMenuBuilder().setCustomId('lang').addOptions({ label: 'English', value: 'en' }, { label: 'Español', value: 'es' }),
        ),
      ],
    });
    const handled = handleNext(w.client, async (interaction) => {
      if (!interaction.isStringSelectMenu()) throw new Error('expected a select');
      await interaction.deferUpdate();
      return interaction.values;
    });
    const select = w.standIn.selectMenu({ channelId: w.channelId, userId: w.memberId, messageId: posted.id, customId: 'lang', values: ['es'] });
    await expect(handled).resolves.toEqual(['es']);
    expect((await select.response()).type).toBe(InteractionResponseType.DeferredMessageUpdate);
    expect(() => w.standIn.selectMenu({ channelId: w.channelId, userId: w.memberId, messageId: posted.id, customId: 'lang', values: ['fr'] })).toThrow(/not an option/);
  });

  it('answers autocomplete with choices and rejects oversized choice lists', async () => {
    const w = await world();
    await registerGuildCommands(w, setupCommand());
    const base = { guildId: w.guildId, channelId: w.channelId, userId: w.memberId, command: 'setup', subcommand: 'channels', focused: 'topic' };
    const handled = handleNext(w.client, async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error('expected autocomplete');
      const focused = interaction.options.getFocused(true);
      await interaction.respond([{ name: `Visa (${focused.value})`, value: 'visa' }]);
      return focused.name;
    });
    const complete = w.standIn.autocomplete({ ...base, options: { support: w.channelId, topic: 'vi' } });
    await expect(handled).resolves.toBe('topic');
    await complete.response();
    expect(complete.choices).toEqual([{ name: 'Visa (vi)', value: 'visa' }]);

    const tooMany = handleNext(w.client, async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error('expected autocomplete');
      const choices = Array.from({ length: 26 }, (_, index) => ({ name: `Choice ${index}`, value: `c${index}` }));
      return apiError(interaction.client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body: { type: 8, data: { choices } }, auth: false }));
    });
    const second = w.standIn.autocomplete({ ...base, options: { support: w.channelId, topic: 'x' } });
    expect((await tooMany).code).toBe(50035);
    expect(second.rejectedCallbacks[0]?.errors.join()).toContain('data.choices');
    // It sent invalid requests on purpose: Discord's OpenAPI description flags them too, and nothing else.
    expectOnlyInvalidRequests(w.standIn);
  });

  it('refuses a message whose embeds exceed 6000 characters in total with 50035', async () => {
    const w = await world();
    const channel = w.client.channels.cache.get(w.channelId) as TextChannel;
    const embed = (text: string) => new EmbedBuilder().setDescription(text);
    const error = await apiError(channel.send({ embeds: [embed('a'.repeat(3500)), embed('b'.repeat(3500))] }));
    expect(error.status).toBe(400);
    expect(error.code).toBe(50035);
    expect(error.rawError).toMatchObject({ errors: { embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED' }] } } });
    const empty = await apiError(w.client.rest.post(Routes.channelMessages(w.channelId), { body: { content: '' } }));
    expect(empty.code).toBe(50006);
  });

  it('serves roles with managed, mentionable, tags and permissions, and channels with their overwrites', async () => {
    const w = await world();
    const booster = w.standIn.createRole(w.guildId, { name: 'Server Booster', managedTags: { premium_subscriber: null } });
    const integration = w.standIn.createRole(w.guildId, { name: 'Patreon', managedTags: { integration_id: '42' } });
    w.standIn.setPermissionOverwrite(w.channelId, { id: w.guildId, type: 'role', allow: 0n, deny: PermissionFlagsBits.ViewChannel });
    const guild = w.client.guilds.cache.get(w.guildId)!;
    const roles = await guild.roles.fetch();
    expect(roles.get(booster)).toMatchObject({ managed: true, tags: { premiumSubscriberRole: true } });
    expect(roles.get(integration)).toMatchObject({ managed: true, tags: { integrationId: '42' } });
    expect(roles.get(w.standIn.botRoleId(w.guildId))).toMatchObject({ managed: true, tags: { botId: w.client.user!.id } });
    expect(roles.get(w.moderatorRoleId)).toMatchObject({ managed: false, mentionable: false, tags: null });
    expect(roles.get(w.moderatorRoleId)?.permissions.has(PermissionFlagsBits.ManageThreads)).toBe(true);
    const raw = (await w.client.rest.get(Routes.guildRoles(w.guildId))) as { id: string; tags?: Record<string, unknown> }[];
    expect(raw.find((role) => role.id === booster)?.tags).toEqual({ premium_subscriber: null });
    const channels = await guild.channels.fetch();
    const overwrite = channels.get(w.channelId)?.permissionOverwrites.cache.get(w.guildId);
    expect(overwrite?.deny.has(PermissionFlagsBits.ViewChannel)).toBe(true);
  });

  it('models private thread visibility: creator, members, MANAGE_THREADS on the parent', async () => {
    const w = await world();
    const overseerId = w.standIn.createMember(w.guildId, { username: 'overseer' });
    w.standIn.setPermissionOverwrite(w.channelId, { id: overseerId, type: 'member', allow: PermissionFlagsBits.ManageThreads });
    const channel = w.client.channels.cache.get(w.channelId) as TextChannel;
    const created = once(w.client, Events.ThreadCreate);
    const thread = await channel.threads.create({ name: 'Request #1', type: ChannelType.PrivateThread, invitable: false });
    const [createdThread, newlyCreated] = (await created) as [{ id: string }, boolean];
    expect([createdThread.id, newlyCreated]).toEqual([thread.id, true]);
    expect(thread.type).toBe(ChannelType.PrivateThread);
    expect(w.standIn.threadMemberIds(thread.id)).toEqual([w.standIn.applicationId]);

    expect(w.standIn.canView(w.standIn.applicationId, thread.id)).toBe(true);
    expect(w.standIn.canView(w.memberId, thread.id)).toBe(false);
    expect(w.standIn.canView(w.moderatorId, thread.id)).toBe(true);
    expect(w.standIn.canView(overseerId, thread.id)).toBe(true);

    await thread.members.add(w.memberId);
    expect(w.standIn.canView(w.memberId, thread.id)).toBe(true);
    expect(w.standIn.permissionsFor(w.memberId, thread.id) & PermissionFlagsBits.SendMessagesInThreads).toBe(PermissionFlagsBits.SendMessagesInThreads);
    const request = w.standIn.requests.find((entry) => entry.method === 'PUT' && entry.path.includes('/thread-members/'));
    expect(request?.status).toBe(204);

    // Without the parent's VIEW_CHANNEL even a thread member sees nothing.
    w.standIn.setPermissionOverwrite(w.channelId, { id: w.memberId, type: 'member', deny: PermissionFlagsBits.ViewChannel });
    expect(w.standIn.canView(w.memberId, thread.id)).toBe(false);
  });

  it('refuses thread creation without CREATE_PRIVATE_THREADS (50013) and invisible channels (50001)', async () => {
    const w = await world();
    const botRole = w.standIn.botRoleId(w.guildId);
    w.standIn.setPermissionOverwrite(w.channelId, { id: w.guildId, type: 'role', deny: PermissionFlagsBits.CreatePrivateThreads });
    w.standIn.setPermissionOverwrite(w.channelId, { id: botRole, type: 'role', deny: PermissionFlagsBits.CreatePrivateThreads });
    const noThreads = await apiError(w.client.rest.post(Routes.threads(w.channelId), { body: { name: 'x', type: ChannelType.PrivateThread } }));
    expect([noThreads.status, noThreads.code]).toEqual([403, 50013]);
    const hidden = w.standIn.createChannel(w.guildId, { name: 'staff', permissionOverwrites: [{ id: w.guildId, type: 'role', deny: PermissionFlagsBits.ViewChannel }] });
    const noAccess = await apiError(w.client.rest.post(Routes.channelMessages(hidden), { body: { content: 'hi' } }));
    expect([noAccess.status, noAccess.code, noAccess.message]).toEqual([403, 50001, 'Missing Access']);
  });

  it('sends MESSAGE_CREATE without content (no MESSAGE_CONTENT intent) unless the bot is mentioned', async () => {
    const w = await world();
    const received = once(w.client, Events.MessageCreate) as Promise<[Message]>;
    const sent = w.standIn.simulateUserMessage(w.channelId, w.memberId, 'I need help leaving');
    const [message] = await received;
    expect(message.id).toBe(sent.id);
    expect(message.author.id).toBe(w.memberId);
    expect(message.content).toBe('');
    expect(w.standIn.message(sent.id)?.message.content).toBe('I need help leaving');

    const mentioned = once(w.client, Events.MessageCreate) as Promise<[Message]>;
    w.standIn.simulateUserMessage(w.channelId, w.memberId, `<@${w.standIn.applicationId}> hello`);
    expect((await mentioned)[0].content).toBe(`<@${w.standIn.applicationId}> hello`);
    // REST reads are blanked the same way.
    const fetched = (await w.client.rest.get(Routes.channelMessage(w.channelId, sent.id))) as { content: string };
    expect(fetched.content).toBe('');
  });

  it('retries after an injected 500 and honours an injected 429', async () => {
    const w = await world();
    const channel = w.client.channels.cache.get(w.channelId) as TextChannel;
    w.standIn.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 500 });
    const sent = await channel.send('after a 500');
    const posts = () => w.standIn.requests.filter((request) => request.method === 'POST' && request.path === `/channels/${w.channelId}/messages`);
    expect(posts().map((request) => request.status)).toEqual([500, 200]);
    expect(w.standIn.messagesIn(w.channelId).map((stored) => stored.message.id)).toEqual([sent.id]);

    w.standIn.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 429, retryAfter: 0.3 });
    const limited = once(w.client.rest, 'rateLimited');
    await channel.send('after a 429');
    const [rateLimit] = (await limited) as [{ retryAfter: number; global: boolean }];
    expect(rateLimit.global).toBe(false);
    const [rejected, accepted] = posts().slice(2);
    expect(rejected?.status).toBe(429);
    expect(accepted?.status).toBe(200);
    expect((accepted?.at ?? 0) - (rejected?.at ?? 0)).toBeGreaterThanOrEqual(250);
  });

  it('deletes a thread as Discord documents it: Manage Threads, the channel object back, THREAD_DELETE with ids only, messages gone', async () => {
    const w = await world();
    const threadId = w.standIn.createThread(w.channelId, { name: 'support-0001', ownerId: w.standIn.botUserId, type: ChannelType.PrivateThread, members: [w.memberId] });
    const said = w.standIn.simulateUserMessage(threadId, w.memberId, 'private words');
    const events: unknown[] = [];
    w.client.ws.on(GatewayDispatchEvents.ThreadDelete, (data: unknown) => events.push(data));
    // Without Manage Threads in the parent: 50013, and the thread stays.
    w.standIn.setPermissionOverwrite(w.channelId, { id: w.standIn.botRoleId(w.guildId), type: 'role', deny: PermissionFlagsBits.ManageThreads });
    const refused = await apiError(w.client.rest.delete(Routes.channel(threadId)));
    expect([refused.status, refused.code]).toEqual([403, 50013]);
    expect(w.standIn.hasChannel(threadId)).toBe(true);
    w.standIn.setPermissionOverwrites(w.channelId, []);
    // An injected fault fails the next deletion only.
    w.standIn.failChannelDeletion(threadId, { times: 1 });
    const injected = await apiError(w.client.rest.delete(Routes.channel(threadId)));
    expect([injected.status, injected.code, injected.message]).toEqual([403, 50013, 'Missing Permissions']);
    const deleted = (await w.client.rest.delete(Routes.channel(threadId))) as { id: string; type: number };
    expect(deleted).toMatchObject({ id: threadId, type: ChannelType.PrivateThread });
    expect(w.standIn.hasChannel(threadId)).toBe(false);
    expect(w.standIn.message(said.id)).toBeUndefined();
    const gone = await apiError(w.client.rest.delete(Routes.channel(threadId)));
    expect([gone.status, gone.code]).toEqual([404, 10003]);
    await expect.poll(() => events.length).toBe(1);
    expect(events[0]).toEqual({ id: threadId, guild_id: w.guildId, parent_id: w.channelId, type: ChannelType.PrivateThread });
  });

  it('returns the earlier message for a re-sent enforced nonce instead of creating a duplicate', async () => {
    const w = await world();
    const route = Routes.channelMessages(w.channelId);
    const first = (await w.client.rest.post(route, { body: { content: 'once', nonce: 'post-42', enforce_nonce: true } })) as { id: string; nonce?: string };
    const again = (await w.client.rest.post(route, { body: { content: 'once', nonce: 'post-42', enforce_nonce: true } })) as { id: string };
    expect(again.id).toBe(first.id);
    expect(first.nonce).toBe('post-42');
    // Without enforce_nonce, or with another nonce, a new message is created, as on Discord.
    await w.client.rest.post(route, { body: { content: 'twice', nonce: 'post-42' } });
    await w.client.rest.post(route, { body: { content: 'other', nonce: 'post-43', enforce_nonce: true } });
    expect(w.standIn.messagesIn(w.channelId).map((stored) => stored.message.content)).toEqual(['once', 'twice', 'other']);
  });

  it('records unknown routes and answers them 404 with code 0', async () => {
    const w = await world({}, true);
    const error = await apiError(w.client.rest.get('/channels/123/nonsense'));
    expect([error.status, error.code, error.message]).toEqual([404, 0, '404: Not Found']);
    expect(w.standIn.unknownRoutes).toMatchObject([{ method: 'GET', path: '/channels/123/nonsense', status: 404 }]);
    // It sent invalid requests on purpose: Discord's OpenAPI description flags them too, and nothing else.
    expectOnlyInvalidRequests(w.standIn);
  });

  it('closes an IDENTIFY with the MessageContent intent with 4014', async () => {
    const standIn = await startStandIn();
    standIn.createGuild({ name: 'Guild' });
    const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.MessageContent], rest: { api: standIn.apiUrl } });
    cleanups.push(() => client.destroy());
    await expect(client.login(standIn.token)).rejects.toThrow(/disallowed intents/i);
    expect(standIn.gatewayCloses).toMatchObject([{ code: 4014, reason: 'Disallowed intent(s).', by: 'server' }]);
    expect(standIn.identifyPayloads[0]?.intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.MessageContent);
  });

  it('resumes after a gateway drop and replays what was missed', async () => {
    const w = await world();
    const resumed = once(w.client, Events.ShardResume);
    w.standIn.disconnectGateway(4000);
    const missed = w.standIn.simulateUserMessage(w.channelId, w.memberId, 'while you were away');
    const received = once(w.client, Events.MessageCreate) as Promise<[Message]>;
    await resumed;
    expect((await received)[0].id).toBe(missed.id);
    expect(w.standIn.identifyPayloads).toHaveLength(1);
    expect(w.standIn.connectedGatewaySessions).toBe(1);
  });

  it('answers DMs to users who closed them with 50007, and bad tokens with 401', async () => {
    const w = await world();
    w.standIn.setDmsClosed(w.memberId, true);
    const user = await w.client.users.fetch(w.memberId);
    const closed = await apiError(user.send('hello'));
    expect([closed.status, closed.code, closed.message]).toEqual([403, 50007, 'Cannot send messages to this user']);

    const intruder = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: w.standIn.apiUrl } });
    cleanups.push(() => intruder.destroy());
    await expect(intruder.login('wrong-token')).rejects.toThrow(/token/i);
  });

  it('computes pings from content filtered by allowed_mentions', async () => {
    const w = await world();
    const channel = w.client.channels.cache.get(w.channelId) as TextChannel;
    const sent = await channel.send({
      content: `<@${w.memberId}> <@${w.moderatorId}> <@&${w.moderatorRoleId}> @everyone`,
      allowedMentions: { users: [w.memberId] },
    });
    const stored = w.standIn.message(sent.id);
    expect(stored?.pingedUserIds).toEqual([w.memberId]);
    expect(stored?.pingedRoleIds).toEqual([]);
    expect(stored?.pingedEveryone).toBe(false);
  });

  it('enforces which callback types fit which interaction, and answers with_response=true', async () => {
    const w = await world();
    await registerGuildCommands(w, setupCommand());
    const handled = handleNext(w.client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      const wrongType = await apiError(
        interaction.client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body: { type: InteractionResponseType.UpdateMessage, data: { content: 'x' } }, auth: false }),
      );
      const response = await interaction.reply({ content: 'with response', withResponse: true });
      return { wrongType: wrongType.code, content: response.resource?.message?.content, ephemeral: response.interaction.responseMessageEphemeral };
    });
    const handle = w.standIn.chatInput({ guildId: w.guildId, channelId: w.channelId, userId: w.memberId, command: 'setup', subcommand: 'show' });
    await expect(handled).resolves.toEqual({ wrongType: 50035, content: 'with response', ephemeral: false });
    expect(handle.rejectedCallbacks).toHaveLength(1);
    expect(w.standIn.requests.filter((request) => request.path.endsWith('/callback')).map((request) => request.query.with_response)).toEqual([undefined, 'true']);

    // A modal submission can't be answered with another modal.
    const shown = handleNext(w.client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      await interaction.showModal(
        new ModalBuilder()
          .setCustomId('legacy')
          .setTitle('Legacy rows')
          .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(new TextInputBuilder().setCustomId('why').setLabel('Why?').setStyle(TextInputStyle.Paragraph))),
      );
    });
    w.standIn.chatInput({ guildId: w.guildId, channelId: w.channelId, userId: w.memberId, command: 'setup', subcommand: 'show' });
    await shown;
    const modalAgain = handleNext(w.client, async (interaction) => {
      if (!interaction.isModalSubmit()) throw new Error('expected a modal submit');
      const error = await apiError(
        interaction.client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
          body: { type: InteractionResponseType.Modal, data: { custom_id: 'again', title: 'Again', components: [] } },
          auth: false,
        }),
      );
      await interaction.reply({ content: interaction.fields.getTextInputValue('why'), flags: MessageFlags.Ephemeral });
      return error.code;
    });
    const submit = w.standIn.submitModal({ channelId: w.channelId, userId: w.memberId, customId: 'legacy', fields: { why: 'because' } });
    await expect(modalAgain).resolves.toBe(50035);
    expect((await submit.waitForMessage()).content).toBe('because');
    expect(submit.payload.data).toMatchObject({ components: [{ type: 1, components: [{ type: 4, custom_id: 'why', value: 'because' }] }] });
    // It sent invalid requests on purpose: Discord's OpenAPI description flags them too, and nothing else.
    expectOnlyInvalidRequests(w.standIn);
  });

  it('acknowledges heartbeats', async () => {
    const w = await world({ heartbeatIntervalMs: 40 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(w.client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it('speaks exactly the gateway query @discordjs/ws uses and rejects anything else with 4012', async () => {
    const standIn = await startStandIn();
    const firstFrame = (query: string): Promise<{ data?: Buffer; close?: { code: number; reason: string } }> =>
      new Promise((resolve) => {
        const socket = new WebSocket(`${standIn.gatewayUrl}?${query}`);
        socket.once('message', (data: Buffer) => {
          socket.terminate();
          resolve({ data });
        });
        socket.once('close', (code, reason) => resolve({ close: { code, reason: reason.toString() } }));
      });
    const plain = await firstFrame('v=10&encoding=json');
    expect(JSON.parse(plain.data?.toString() ?? '{}')).toEqual({ op: 10, d: { heartbeat_interval: 41250 }, s: null, t: null });
    // zlib-stream (what @discordjs/ws asks for when zlib-sync is installed): one deflate stream, sync-flushed frames.
    const compressed = await firstFrame('v=10&encoding=json&compress=zlib-stream');
    const frame = compressed.data ?? Buffer.alloc(0);
    expect([...frame.subarray(-4)]).toEqual([0, 0, 255, 255]);
    expect(JSON.parse(inflateSync(frame, { finishFlush: 2 }).toString()).op).toBe(10);
    expect((await firstFrame('v=9&encoding=json')).close?.code).toBe(4012);
    expect((await firstFrame('v=10&encoding=etf')).close).toEqual({ code: 4012, reason: 'Stand-in supports encoding=json only (got etf)' });
    expect((await firstFrame('v=10&encoding=json&compress=zstd-stream')).close?.code).toBe(4012);
  });

  it('applies default_member_permissions and the per-guild command permission overwrites', async () => {
    const w = await world();
    await registerGuildCommands(w, setupCommand().setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild));
    const invoke = (userId: string) => w.standIn.chatInput({ guildId: w.guildId, channelId: w.channelId, userId, command: 'setup', subcommand: 'show' });
    expect(() => invoke(w.memberId)).toThrow(/default_member_permissions/);
    w.standIn.allowCommandFor(w.guildId, 'setup', w.moderatorRoleId);
    const handled = handleNext(w.client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      await interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
    });
    await invoke(w.moderatorId).waitForMessage();
    await handled;
    expect(() => invoke(w.memberId)).toThrow(ImpossibleInteractionError);
    const listed = (await w.client.rest.get(Routes.guildApplicationCommandsPermissions(w.standIn.applicationId, w.guildId))) as Array<{ permissions: unknown[] }>;
    expect(listed[0]?.permissions).toEqual([{ id: w.moderatorRoleId, type: 1, permission: true }]);
  });

  it('accepts multipart uploads (payload_json + files[n]) on callbacks and channel messages', async () => {
    const w = await world();
    await registerGuildCommands(w, setupCommand());
    const handled = handleNext(w.client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      await interaction.reply({ content: 'export', files: [{ attachment: Buffer.from('a,b\n1,2\n'), name: 'data.csv' }] });
    });
    const handle = w.standIn.chatInput({ guildId: w.guildId, channelId: w.channelId, userId: w.memberId, command: 'setup', subcommand: 'show' });
    const reply = await handle.waitForMessage();
    await handled;
    expect(reply.attachments).toMatchObject([{ filename: 'data.csv', size: 8 }]);

    const dm = await (await w.client.users.fetch(w.memberId)).send({ content: 'your copy', files: [{ attachment: Buffer.from('x'), name: 'x.txt' }] });
    expect(w.standIn.message(dm.id)?.message.attachments[0]?.filename).toBe('x.txt');
    expect(w.standIn.requests.some((request) => request.files.length === 1 && request.path.endsWith('/messages'))).toBe(true);
  });
});

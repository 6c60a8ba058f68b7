import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  InteractionContextType,
  type InteractionType,
  Locale,
  PermissionFlagsBits,
  type APIApplicationCommand,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOption,
  type APIInteractionDataResolved,
  type APIInteractionDataResolvedChannel,
  type APIInteractionDataResolvedGuildMember,
  type APIMessage,
} from 'discord-api-types/v10';
import { CommandRegistry } from './commands.js';
import type { StandInContext } from './context.js';
import { canView, has, permissionsFor } from './permissions.js';
import type { ChannelRecord } from './state.js';
import { isObject, type JsonObject } from './validation.js';

/**
 * Builders for INTERACTION_CREATE payloads shaped like Discord's. They refuse (throw) scenarios a
 * real Discord client could not produce — unregistered commands, invisible channels, missing
 * required options, clicking a disabled button — so a test can't "pass" on an impossible input.
 */

export type OptionValue = string | number | boolean;

/** Discord's default upload limit for a guild without boosts (10 MiB). */
export const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

export interface InteractionLocation {
  channel: ChannelRecord;
  guildId: string | null;
  userId: string;
}

const LOCALES: ReadonlySet<string> = new Set(Object.values(Locale));

/** Accepts plain strings (tests often widen 'en-US' to string) but only Discord's locale codes. */
export function toLocale(value: string | undefined, fallback: Locale = Locale.EnglishUS): Locale {
  if (value === undefined) return fallback;
  if (!LOCALES.has(value)) throw new ImpossibleInteractionError(`"${value}" is not a Discord locale (e.g. en-US, es-ES, es-419)`);
  return value as Locale;
}

export class ImpossibleInteractionError extends Error {
  constructor(message: string) {
    super(`Stand-in: ${message}`);
    this.name = 'ImpossibleInteractionError';
  }
}

const fail = (message: string): never => {
  throw new ImpossibleInteractionError(message);
};

export function resolveLocation(ctx: StandInContext, input: { guildId?: string; channelId: string; userId: string }): InteractionLocation {
  const channel = ctx.state.channels.get(input.channelId) ?? fail(`unknown channel ${input.channelId}`);
  if (!ctx.state.users.has(input.userId)) fail(`unknown user ${input.userId}`);
  if (input.guildId !== undefined && channel.guildId !== input.guildId) {
    fail(`channel ${channel.id} is not in guild ${input.guildId}`);
  }
  if (channel.guildId) {
    if (!ctx.state.member(channel.guildId, input.userId)) fail(`user ${input.userId} is not a member of guild ${channel.guildId}`);
    if (!canView(ctx.state, input.userId, channel.id)) fail(`user ${input.userId} cannot view channel ${channel.id}, so cannot interact there`);
  } else if (!channel.recipientIds.includes(input.userId)) {
    fail(`user ${input.userId} is not a recipient of DM ${channel.id}`);
  }
  return { channel, guildId: channel.guildId, userId: input.userId };
}

function partialResolvedChannel(ctx: StandInContext, channel: ChannelRecord, viewerId: string): APIInteractionDataResolvedChannel {
  const api = ctx.state.apiChannel(channel.id) as unknown as JsonObject;
  const picked: JsonObject = { id: channel.id, name: channel.name ?? '', type: channel.type, permissions: permissionsFor(ctx.state, viewerId, channel.id).toString() };
  for (const key of ['last_message_id', 'last_pin_timestamp', 'nsfw', 'parent_id', 'guild_id', 'flags', 'rate_limit_per_user', 'topic', 'position', 'thread_metadata']) {
    if (key in api) picked[key] = api[key];
  }
  return picked as unknown as APIInteractionDataResolvedChannel;
}

function partialResolvedMember(ctx: StandInContext, guildId: string, userId: string, channelId: string): APIInteractionDataResolvedGuildMember {
  const { user: _user, deaf: _deaf, mute: _mute, ...member } = ctx.state.apiMember(guildId, userId);
  return { ...member, permissions: permissionsFor(ctx.state, userId, channelId).toString() };
}

/** Adds users (and members, when in the guild) to `resolved`, as Discord does for user/mentionable values. */
function resolveUser(ctx: StandInContext, loc: InteractionLocation, resolved: APIInteractionDataResolved, userId: string): void {
  resolved.users = { ...resolved.users, [userId]: ctx.state.apiUser(userId) };
  if (loc.guildId && ctx.state.member(loc.guildId, userId)) {
    resolved.members = { ...resolved.members, [userId]: partialResolvedMember(ctx, loc.guildId, userId, loc.channel.id) };
  }
}

function resolveRole(ctx: StandInContext, loc: InteractionLocation, resolved: APIInteractionDataResolved, roleId: string): boolean {
  const role = loc.guildId ? ctx.state.guilds.get(loc.guildId)?.roles.get(roleId) : undefined;
  if (!role) return false;
  resolved.roles = { ...resolved.roles, [roleId]: ctx.state.apiRole(role) };
  return true;
}

// ---- common payload -----------------------------------------------------------------------

export function basePayload(
  ctx: StandInContext,
  loc: InteractionLocation,
  input: { id: string; token: string; type: InteractionType; locale?: string },
): JsonObject {
  const { state } = ctx;
  const channel = loc.channel;
  const userPermissions = permissionsFor(state, loc.userId, channel.id);
  const channelPayload = { ...(state.apiChannel(channel.id) as unknown as JsonObject), permissions: userPermissions.toString() };
  const common: JsonObject = {
    id: input.id,
    application_id: ctx.applicationId,
    type: input.type,
    token: input.token,
    version: 1,
    channel: channelPayload,
    channel_id: channel.id,
    app_permissions: permissionsFor(state, ctx.botUserId, channel.id).toString(),
    locale: toLocale(input.locale),
    entitlements: [],
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  };
  if (loc.guildId) {
    const guild = state.requireGuild(loc.guildId);
    return {
      ...common,
      guild_id: guild.id,
      guild: { id: guild.id, locale: guild.preferredLocale, features: [] },
      guild_locale: guild.preferredLocale,
      member: { ...state.apiMember(guild.id, loc.userId), permissions: userPermissions.toString() },
      authorizing_integration_owners: { '0': guild.id },
      context: InteractionContextType.Guild,
    };
  }
  return {
    ...common,
    user: state.apiUser(loc.userId),
    authorizing_integration_owners: { '0': '0' },
    context: InteractionContextType.BotDM,
  };
}

// ---- application commands -----------------------------------------------------------------

export interface CommandInvocation {
  command: string;
  subcommandGroup?: string;
  subcommand?: string;
  options?: Record<string, OptionValue>;
  /**
   * Leaf options sent verbatim, bypassing the registered definition — to simulate a client that
   * still has an older command shape (e.g. during a global command roll-out).
   */
  rawOptions?: APIApplicationCommandInteractionDataOption[];
}

function checkCanInvoke(ctx: StandInContext, registry: CommandRegistry, loc: InteractionLocation, command: APIApplicationCommand): void {
  const permissions = permissionsFor(ctx.state, loc.userId, loc.channel.id);
  if (loc.guildId && !has(permissions, PermissionFlagsBits.UseApplicationCommands)) {
    fail(`user ${loc.userId} lacks USE_APPLICATION_COMMANDS in ${loc.channel.id}; Discord would not show /${command.name}`);
  }
  const context = loc.guildId ? InteractionContextType.Guild : InteractionContextType.BotDM;
  if (Array.isArray(command.contexts) && !command.contexts.includes(context)) {
    fail(`/${command.name} is not available in context ${context} (contexts: ${command.contexts.join(',')})`);
  }
  if (!loc.guildId && command.dm_permission === false) fail(`/${command.name} has dm_permission=false`);
  if (!loc.guildId) return;
  const isAdmin = has(permissions, PermissionFlagsBits.Administrator);
  if (isAdmin) return;
  // Server Settings → Integrations overwrites: command level first, then app-wide; they replace
  // default_member_permissions for the users they match.
  const roles = ctx.state.member(loc.guildId, loc.userId)?.roles ?? [];
  const commandLevel = registry.permissionsFor(loc.guildId, command.id);
  const appLevel = registry.permissionsFor(loc.guildId, ctx.applicationId);
  const channelVerdict =
    CommandRegistry.channelVerdict(commandLevel, loc.guildId, loc.channel.id) ?? CommandRegistry.channelVerdict(appLevel, loc.guildId, loc.channel.id);
  if (channelVerdict === false) fail(`/${command.name} is disabled in channel ${loc.channel.id} by command permissions`);
  const memberVerdict =
    CommandRegistry.memberVerdict(commandLevel, loc.guildId, loc.userId, roles) ?? CommandRegistry.memberVerdict(appLevel, loc.guildId, loc.userId, roles);
  if (memberVerdict === false) fail(`user ${loc.userId} is denied /${command.name} by command permissions`);
  if (memberVerdict === true || command.default_member_permissions === null) return;
  const required = BigInt(command.default_member_permissions);
  if (required === 0n || !has(permissions, required)) {
    fail(`user ${loc.userId} lacks default_member_permissions ${command.default_member_permissions} for /${command.name}`);
  }
}

export function findCommand(registry: CommandRegistry, guildId: string | null, name: string, type: ApplicationCommandType): APIApplicationCommand {
  return (
    registry.find(guildId, name, type) ??
    fail(`command "${name}" (type ${type}) is not registered. Registered: ${registry.allNames(guildId).join(', ') || 'none'}`)
  );
}

function convertOption(
  ctx: StandInContext,
  loc: InteractionLocation,
  definition: APIApplicationCommandOption,
  value: OptionValue,
  resolved: APIInteractionDataResolved,
): OptionValue {
  const label = `option "${definition.name}"`;
  switch (definition.type) {
    case ApplicationCommandOptionType.String: {
      if (typeof value !== 'string') return fail(`${label} expects a string`);
      if (definition.choices && !definition.choices.some((choice) => choice.value === value)) fail(`${label} must be one of its choices`);
      if (definition.min_length !== undefined && value.length < definition.min_length) fail(`${label} is shorter than min_length`);
      if (definition.max_length !== undefined && value.length > definition.max_length) fail(`${label} is longer than max_length`);
      return value;
    }
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number: {
      const integer = definition.type === ApplicationCommandOptionType.Integer;
      if (typeof value !== 'number' || (integer && !Number.isInteger(value))) return fail(`${label} expects ${integer ? 'an integer' : 'a number'}`);
      if (definition.choices && !definition.choices.some((choice) => choice.value === value)) fail(`${label} must be one of its choices`);
      if (definition.min_value !== undefined && value < definition.min_value) fail(`${label} is below min_value`);
      if (definition.max_value !== undefined && value > definition.max_value) fail(`${label} is above max_value`);
      return value;
    }
    case ApplicationCommandOptionType.Boolean:
      return typeof value === 'boolean' ? value : fail(`${label} expects a boolean`);
    case ApplicationCommandOptionType.User: {
      if (typeof value !== 'string' || !ctx.state.users.has(value)) return fail(`${label} expects a known user id`);
      resolveUser(ctx, loc, resolved, value);
      return value;
    }
    case ApplicationCommandOptionType.Role:
      if (typeof value !== 'string' || !resolveRole(ctx, loc, resolved, value)) return fail(`${label} expects a role id of this guild`);
      return value;
    case ApplicationCommandOptionType.Mentionable:
      if (typeof value !== 'string') return fail(`${label} expects a user or role id`);
      if (ctx.state.users.has(value)) resolveUser(ctx, loc, resolved, value);
      else if (!resolveRole(ctx, loc, resolved, value)) fail(`${label} expects a user or role id`);
      return value;
    case ApplicationCommandOptionType.Channel: {
      const channel = typeof value === 'string' ? ctx.state.channels.get(value) : undefined;
      if (!channel || channel.guildId !== loc.guildId) return fail(`${label} expects a channel id of this guild`);
      if (definition.channel_types && !definition.channel_types.includes(channel.type as never)) {
        fail(`${label} only accepts channel types ${definition.channel_types.join(',')} (got ${channel.type})`);
      }
      if (!canView(ctx.state, loc.userId, channel.id)) fail(`${label}: the user cannot see channel ${channel.id}, so cannot pick it`);
      resolved.channels = { ...resolved.channels, [channel.id]: partialResolvedChannel(ctx, channel, loc.userId) };
      return channel.id;
    }
    default:
      return fail(`${label}: option type ${definition.type} is not supported by the stand-in`);
  }
}

/** Builds `data` for a chat-input command or autocomplete interaction from the registered definition. */
export function buildCommandData(
  ctx: StandInContext,
  registry: CommandRegistry,
  loc: InteractionLocation,
  invocation: CommandInvocation,
  autocomplete?: { focused: string },
): { data: JsonObject; command: APIApplicationCommand; focusedOption: APIApplicationCommandOption | null } {
  const command = findCommand(registry, loc.guildId, invocation.command, ApplicationCommandType.ChatInput);
  checkCanInvoke(ctx, registry, loc, command);

  let definitions = command.options ?? [];
  const nests = definitions.some((option) => option.type === ApplicationCommandOptionType.Subcommand || option.type === ApplicationCommandOptionType.SubcommandGroup);
  let groupName: string | null = null;
  if (invocation.subcommandGroup) {
    const group = definitions.find((option) => option.type === ApplicationCommandOptionType.SubcommandGroup && option.name === invocation.subcommandGroup);
    if (!group || group.type !== ApplicationCommandOptionType.SubcommandGroup) return fail(`/${command.name} has no subcommand group "${invocation.subcommandGroup}"`);
    groupName = group.name;
    definitions = group.options ?? [];
  }
  let subcommandName: string | null = null;
  if (invocation.subcommand) {
    const sub = definitions.find((option) => option.type === ApplicationCommandOptionType.Subcommand && option.name === invocation.subcommand);
    if (!sub || sub.type !== ApplicationCommandOptionType.Subcommand) return fail(`/${command.name} has no subcommand "${invocation.subcommand}" here`);
    subcommandName = sub.name;
    definitions = sub.options ?? [];
  } else if (nests) {
    fail(`/${command.name} needs a subcommand${groupName ? ` in group ${groupName}` : ''}`);
  }

  const given = invocation.options ?? {};
  const resolved: APIInteractionDataResolved = {};
  const leaf: JsonObject[] = [];
  let focusedOption: APIApplicationCommandOption | null = null;
  if (invocation.rawOptions && !autocomplete) {
    if (invocation.options) fail('give either options or rawOptions, not both');
    leaf.push(...(structuredClone(invocation.rawOptions) as unknown as JsonObject[]));
  }
  for (const name of Object.keys(given)) {
    if (!definitions.some((definition) => definition.name === name)) fail(`/${command.name} has no option "${name}" (has: ${definitions.map((d) => d.name).join(', ')})`);
  }
  for (const definition of definitions) {
    const value = given[definition.name];
    const isFocused = autocomplete?.focused === definition.name;
    if (value === undefined) {
      if (isFocused) fail(`focused option "${definition.name}" needs a (partial) value`);
      if (!autocomplete && !invocation.rawOptions && 'required' in definition && definition.required) fail(`/${command.name}: required option "${definition.name}" missing`);
      continue;
    }
    if (isFocused) {
      if (!('autocomplete' in definition) || definition.autocomplete !== true) fail(`option "${definition.name}" does not have autocomplete enabled`);
      focusedOption = definition;
      // While typing, Discord sends the raw text of the focused option.
      leaf.push({ name: definition.name, type: definition.type, value: String(value), focused: true });
      continue;
    }
    leaf.push({ name: definition.name, type: definition.type, value: convertOption(ctx, loc, definition, value, resolved) });
  }
  if (autocomplete && !focusedOption) fail(`focused option "${autocomplete.focused}" is not an option of this command`);

  let options: JsonObject[] = leaf;
  if (subcommandName) options = [{ name: subcommandName, type: ApplicationCommandOptionType.Subcommand, options }];
  if (groupName) options = [{ name: groupName, type: ApplicationCommandOptionType.SubcommandGroup, options }];
  const data: JsonObject = {
    id: command.id,
    name: command.name,
    type: ApplicationCommandType.ChatInput,
    ...(options.length > 0 ? { options: options as unknown as APIApplicationCommandInteractionDataOption[] } : {}),
    ...(!autocomplete && Object.keys(resolved).length > 0 ? { resolved } : {}),
    ...(command.guild_id ? { guild_id: command.guild_id } : {}),
  };
  return { data, command, focusedOption };
}

/** The invoked name including subcommands, as in `interaction_metadata.name` ("setup channel"). */
export function invokedName(data: JsonObject): string {
  const parts = [String(data.name)];
  let options = data.options;
  while (Array.isArray(options) && options.length === 1 && isObject(options[0]) && 'options' in options[0] && !('value' in options[0])) {
    parts.push(String(options[0].name));
    options = options[0].options;
  }
  return parts.join(' ');
}

// ---- message components -------------------------------------------------------------------

export function findComponent(components: unknown, predicate: (component: JsonObject) => boolean): JsonObject | null {
  if (Array.isArray(components)) {
    for (const component of components) {
      const found = findComponent(component, predicate);
      if (found) return found;
    }
    return null;
  }
  if (!isObject(components)) return null;
  if (predicate(components)) return components;
  for (const key of ['components', 'accessory', 'component']) {
    const found = key in components ? findComponent(components[key], predicate) : null;
    if (found) return found;
  }
  return null;
}

export function componentSelection(
  ctx: StandInContext,
  loc: InteractionLocation,
  message: APIMessage,
  input: { customId: string; values?: string[] },
): JsonObject {
  const component = findComponent(message.components, (candidate) => candidate.custom_id === input.customId);
  if (!component) return fail(`message ${message.id} has no component with custom_id "${input.customId}"`);
  if (component.disabled === true) fail(`component "${input.customId}" is disabled`);
  const type = component.type;
  if (type === ComponentType.Button) {
    if (input.values) fail(`"${input.customId}" is a button; use clickButton`);
    return { custom_id: input.customId, component_type: ComponentType.Button };
  }
  if (typeof type !== 'number' || ![3, 5, 6, 7, 8].includes(type)) return fail(`component "${input.customId}" is not clickable/selectable`);
  const values = input.values ?? fail(`"${input.customId}" is a select menu; use selectMenu with values`);
  const min = typeof component.min_values === 'number' ? component.min_values : 1;
  const max = typeof component.max_values === 'number' ? component.max_values : 1;
  if (values.length < min || values.length > max) fail(`select "${input.customId}" needs between ${min} and ${max} values (got ${values.length})`);
  const resolved: APIInteractionDataResolved = {};
  for (const value of values) {
    if (type === ComponentType.StringSelect) {
      const options = Array.isArray(component.options) ? component.options.filter(isObject) : [];
      if (!options.some((option) => option.value === value)) fail(`"${value}" is not an option of select "${input.customId}"`);
    } else if (type === ComponentType.UserSelect || (type === ComponentType.MentionableSelect && ctx.state.users.has(value))) {
      if (!ctx.state.users.has(value)) fail(`"${value}" is not a known user`);
      resolveUser(ctx, loc, resolved, value);
    } else if (type === ComponentType.RoleSelect || type === ComponentType.MentionableSelect) {
      if (!resolveRole(ctx, loc, resolved, value)) fail(`"${value}" is not a role of this guild`);
    } else {
      const channel = ctx.state.channels.get(value);
      if (!channel || channel.guildId !== loc.guildId) return fail(`"${value}" is not a channel of this guild`);
      const allowedTypes = Array.isArray(component.channel_types) ? component.channel_types : null;
      if (allowedTypes && !allowedTypes.includes(channel.type)) fail(`channel ${value} has a type the select does not offer`);
      resolved.channels = { ...resolved.channels, [channel.id]: partialResolvedChannel(ctx, channel, loc.userId) };
    }
  }
  return {
    custom_id: input.customId,
    component_type: type,
    values,
    ...(type !== ComponentType.StringSelect ? { resolved } : {}),
  };
}

// ---- modal submissions --------------------------------------------------------------------

export type ModalFieldValue = string | string[] | boolean | null;

function submittedLeaf(
  ctx: StandInContext,
  loc: InteractionLocation,
  component: JsonObject,
  fields: Record<string, ModalFieldValue>,
  used: Set<string>,
  resolved: APIInteractionDataResolved,
): JsonObject {
  const customId = String(component.custom_id);
  const value = fields[customId];
  if (value !== undefined) used.add(customId);
  const base = { type: component.type, id: component.id, custom_id: customId };
  const required = component.required !== false;
  switch (component.type) {
    case ComponentType.TextInput: {
      const text = value ?? (typeof component.value === 'string' ? component.value : '');
      if (typeof text !== 'string') return fail(`modal field "${customId}" is a text input; give a string`);
      if (required && text.length === 0) fail(`modal field "${customId}" is required`);
      const min = typeof component.min_length === 'number' ? component.min_length : 0;
      const max = typeof component.max_length === 'number' ? component.max_length : 4000;
      if (text.length > 0 && (text.length < min || text.length > max)) fail(`modal field "${customId}" must be ${min}-${max} characters`);
      return { ...base, value: text };
    }
    case ComponentType.Checkbox:
      if (value !== undefined && typeof value !== 'boolean') fail(`modal field "${customId}" is a checkbox; give a boolean`);
      return { ...base, value: value === true };
    case ComponentType.RadioGroup:
      if (value !== undefined && value !== null && typeof value !== 'string') fail(`modal field "${customId}" is a radio group; give a string`);
      if (required && (value === undefined || value === null)) fail(`modal field "${customId}" is required`);
      return { ...base, value: value ?? null };
    case ComponentType.FileUpload:
      return fail(`modal field "${customId}": file uploads are not supported by the stand-in`);
    default: {
      const values = value === undefined || value === null ? [] : Array.isArray(value) ? value : fail(`modal field "${customId}" is a select; give string[]`);
      if (required && values.length === 0) fail(`modal field "${customId}" is required`);
      if (values.length > 0) {
        const pseudoMessage = { components: [component] } as unknown as APIMessage;
        const selection = componentSelection(ctx, loc, pseudoMessage, { customId, values });
        if (isObject(selection.resolved)) Object.assign(resolved, mergeResolved(resolved, selection.resolved as APIInteractionDataResolved));
      }
      return { ...base, values };
    }
  }
}

function mergeResolved(a: APIInteractionDataResolved, b: APIInteractionDataResolved): APIInteractionDataResolved {
  return {
    ...(a.users || b.users ? { users: { ...a.users, ...b.users } } : {}),
    ...(a.members || b.members ? { members: { ...a.members, ...b.members } } : {}),
    ...(a.roles || b.roles ? { roles: { ...a.roles, ...b.roles } } : {}),
    ...(a.channels || b.channels ? { channels: { ...a.channels, ...b.channels } } : {}),
  };
}

/** Mirrors the shown modal's structure (rows / labels / text displays) with the user's values. */
export function buildModalSubmitData(
  ctx: StandInContext,
  loc: InteractionLocation,
  modal: JsonObject,
  fields: Record<string, ModalFieldValue>,
): JsonObject {
  const used = new Set<string>();
  const resolved: APIInteractionDataResolved = {};
  const components = (Array.isArray(modal.components) ? modal.components.filter(isObject) : []).map((component) => {
    if (component.type === ComponentType.ActionRow) {
      const children = Array.isArray(component.components) ? component.components.filter(isObject) : [];
      return { type: ComponentType.ActionRow, id: component.id, components: children.map((child) => submittedLeaf(ctx, loc, child, fields, used, resolved)) };
    }
    if (component.type === ComponentType.Label && isObject(component.component)) {
      return { type: ComponentType.Label, id: component.id, component: submittedLeaf(ctx, loc, component.component, fields, used, resolved) };
    }
    return { type: component.type, id: component.id };
  });
  for (const key of Object.keys(fields)) {
    if (!used.has(key)) fail(`modal "${String(modal.custom_id)}" has no field "${key}"`);
  }
  return { custom_id: modal.custom_id, components, ...(Object.keys(resolved).length > 0 ? { resolved } : {}) };
}

export function isDmChannel(channel: ChannelRecord): boolean {
  return channel.type === ChannelType.DM;
}

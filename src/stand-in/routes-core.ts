import { ChannelType, GatewayDispatchEvents, GatewayIntentBits, PermissionFlagsBits, RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { CommandRegistry } from './commands.js';
import type { StandInContext } from './context.js';
import { ApiError, FormErrors, formError } from './errors.js';
import { json, noContent, queryFlag, type RestRequest, type RestResult } from './http-types.js';
import type { InteractionStore } from './interactions.js';
import { basePermissions, has, highestRolePosition } from './permissions.js';
import { isObject, validateCommand, validateCommandList } from './validation.js';

export interface RouteDeps {
  ctx: StandInContext;
  registry: CommandRegistry;
  interactions: InteractionStore;
}

export interface RouteDefinition {
  method: string;
  /** Path relative to /api/v10 with `:param` segments, e.g. `/channels/:channel/messages`. */
  pattern: string;
  /** Interaction callbacks and webhook routes don't need the bot token (as on Discord). */
  auth?: boolean;
  handler(req: RestRequest): RestResult;
}

export function requireGuildForBot(ctx: StandInContext, guildId: string | undefined): string {
  const guild = guildId ? ctx.state.guilds.get(guildId) : undefined;
  if (!guild) throw ApiError.unknownGuild();
  if (!guild.members.has(ctx.botUserId)) throw ApiError.missingAccess();
  return guild.id;
}

export function coreRoutes({ ctx, registry, interactions }: RouteDeps): RouteDefinition[] {
  const { state } = ctx;
  const botUser = (): object => ({ ...state.apiUser(ctx.botUserId), bot: true, verified: true, mfa_enabled: false, email: null, locale: 'en-US' });

  const commandScope = (req: RestRequest): string | null => {
    if (req.params.application !== ctx.applicationId) throw ApiError.unknownApplication();
    const guildId = req.params.guild;
    if (guildId === undefined) return null;
    requireGuildForBot(ctx, guildId);
    return guildId;
  };
  /** Counts every write to a command endpoint, valid or not. */
  const countingWrite = (req: RestRequest, run: (guildId: string | null) => RestResult): RestResult => {
    const scope = req.params.guild ? { guildId: req.params.guild } : 'global';
    try {
      const result = run(commandScope(req));
      registry.calls.push({ method: req.method, scope, status: result.status, at: Date.now() });
      return result;
    } catch (error) {
      registry.calls.push({ method: req.method, scope, status: error instanceof ApiError ? error.status : 500, at: Date.now() });
      throw error;
    }
  };
  const listCommands = (req: RestRequest): RestResult => {
    const guildId = commandScope(req);
    const withLocalizations = queryFlag(req.query, 'with_localizations');
    return json(registry.list(guildId).map((command) => registry.present(command, withLocalizations)));
  };
  const overwriteCommands = (req: RestRequest): RestResult =>
    countingWrite(req, (guildId) => {
      const errors = new FormErrors();
      if (!validateCommandList(errors, req.body)) throw ApiError.invalidFormBody(errors);
      return json(registry.overwrite(guildId, req.body).map((command) => registry.present(command, true)));
    });
  const createCommand = (req: RestRequest): RestResult =>
    countingWrite(req, (guildId) => {
      const errors = new FormErrors();
      validateCommand(errors, [], req.body);
      errors.throwIfAny();
      const { command, created } = registry.upsert(guildId, isObject(req.body) ? req.body : {});
      return json(registry.present(command, true), created ? 201 : 200);
    });
  const getCommand = (req: RestRequest): RestResult => {
    const command = registry.get(commandScope(req), req.params.command ?? '');
    if (!command) throw ApiError.unknownCommand();
    return json(registry.present(command, true));
  };
  const editCommand = (req: RestRequest): RestResult =>
    countingWrite(req, (guildId) => {
      const existing = registry.get(guildId, req.params.command ?? '');
      if (!existing) throw ApiError.unknownCommand();
      const merged = { ...(existing as unknown as Record<string, unknown>), ...(isObject(req.body) ? req.body : {}) };
      const errors = new FormErrors();
      validateCommand(errors, [], merged);
      errors.throwIfAny();
      const edited = registry.edit(guildId, existing.id, isObject(req.body) ? req.body : {});
      if (!edited) throw ApiError.unknownCommand();
      return json(registry.present(edited, true));
    });
  const deleteCommand = (req: RestRequest): RestResult =>
    countingWrite(req, (guildId) => {
      if (!registry.delete(guildId, req.params.command ?? '')) throw ApiError.unknownCommand();
      return noContent();
    });

  const memberRoleChange = (req: RestRequest, add: boolean): RestResult => {
    const guildId = requireGuildForBot(ctx, req.params.guild);
    const guild = state.requireGuild(guildId);
    const member = guild.members.get(req.params.user ?? '');
    if (!member) throw ApiError.unknownMember();
    const role = guild.roles.get(req.params.role ?? '');
    if (!role) throw ApiError.unknownRole();
    const canManageRoles = has(basePermissions(state, guildId, ctx.botUserId), PermissionFlagsBits.ManageRoles);
    // Managed roles and roles at/above the bot's highest role are off-limits.
    if (!canManageRoles || role.managed || role.id === guildId || role.position >= highestRolePosition(state, guildId, ctx.botUserId)) {
      throw ApiError.missingPermissions();
    }
    const hadRole = member.roles.includes(role.id);
    if (add && !hadRole) member.roles.push(role.id);
    if (!add && hadRole) member.roles.splice(member.roles.indexOf(role.id), 1);
    if (add !== hadRole) {
      ctx.gateway.dispatch(GatewayDispatchEvents.GuildMemberUpdate, { ...state.apiMember(guildId, member.userId), guild_id: guildId }, {
        intent: GatewayIntentBits.GuildMembers,
        guildId,
      });
    }
    return noContent();
  };

  return [
    {
      method: 'GET',
      pattern: '/gateway/bot',
      handler: () =>
        json({
          url: ctx.gateway.url,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
        }),
    },
    { method: 'GET', pattern: '/gateway', auth: false, handler: () => json({ url: ctx.gateway.url }) },
    { method: 'GET', pattern: '/users/@me', handler: () => json(botUser()) },
    {
      method: 'GET',
      pattern: '/users/:user',
      handler: (req) => {
        if (!state.users.has(req.params.user ?? '')) throw ApiError.unknownUser();
        return json(state.apiUser(req.params.user ?? ''));
      },
    },
    {
      method: 'POST',
      pattern: '/users/@me/channels',
      handler: (req) => {
        const body = isObject(req.body) ? req.body : {};
        if (typeof body.recipient_id !== 'string') {
          const errors = new FormErrors();
          errors.add(['recipient_id'], formError.required());
          throw ApiError.invalidFormBody(errors);
        }
        const recipientId = body.recipient_id;
        if (!state.users.has(recipientId)) throw ApiError.unknownUser();
        const existing = [...state.channels.values()].find(
          (channel) => channel.type === ChannelType.DM && channel.recipientIds.includes(recipientId) && channel.recipientIds.includes(ctx.botUserId),
        );
        const channel =
          existing ??
          state.addChannel({
            type: ChannelType.DM,
            guildId: null,
            name: null,
            position: 0,
            topic: null,
            parentId: null,
            nsfw: false,
            rateLimitPerUser: 0,
            overwrites: [],
            thread: null,
            recipientIds: [ctx.botUserId, recipientId],
          });
        return json(state.apiChannel(channel.id));
      },
    },
    {
      method: 'GET',
      pattern: '/applications/@me',
      handler: () =>
        json({
          id: ctx.applicationId,
          name: state.requireUser(ctx.botUserId).username,
          icon: null,
          description: '',
          summary: '',
          type: null,
          bot: botUser(),
          bot_public: false,
          bot_require_code_grant: false,
          verify_key: '0'.repeat(64),
          flags: ctx.applicationFlags,
          flags_new: String(ctx.applicationFlags),
          team: null,
          approximate_guild_count: state.guilds.size,
          install_params: { scopes: ['bot', 'applications.commands'], permissions: '0' },
          integration_types_config: { '0': {} },
          redirect_uris: [],
          interactions_endpoint_url: null,
          role_connections_verification_url: null,
          // A team-less application is owned by the developer who created it.
          owner: { ...state.apiUser(ctx.botUserId), id: String(BigInt(ctx.applicationId) - 1n), username: 'stand-in-developer', global_name: null, bot: false },
          approximate_user_install_count: 0,
          approximate_user_authorization_count: 0,
          explicit_content_filter: 0,
          eligible_oauth2_scopes: ['bot', 'applications.commands'],
        }),
    },

    { method: 'GET', pattern: '/applications/:application/commands', handler: listCommands },
    { method: 'PUT', pattern: '/applications/:application/commands', handler: overwriteCommands },
    { method: 'POST', pattern: '/applications/:application/commands', handler: createCommand },
    { method: 'GET', pattern: '/applications/:application/commands/:command', handler: getCommand },
    { method: 'PATCH', pattern: '/applications/:application/commands/:command', handler: editCommand },
    { method: 'DELETE', pattern: '/applications/:application/commands/:command', handler: deleteCommand },
    { method: 'GET', pattern: '/applications/:application/guilds/:guild/commands', handler: listCommands },
    { method: 'PUT', pattern: '/applications/:application/guilds/:guild/commands', handler: overwriteCommands },
    { method: 'POST', pattern: '/applications/:application/guilds/:guild/commands', handler: createCommand },
    {
      method: 'GET',
      pattern: '/applications/:application/guilds/:guild/commands/permissions',
      handler: (req) => {
        const guildId = commandScope(req) ?? '';
        return json(registry.guildPermissions(guildId));
      },
    },
    {
      method: 'GET',
      pattern: '/applications/:application/guilds/:guild/commands/:command/permissions',
      handler: (req) => {
        const guildId = commandScope(req) ?? '';
        const found = registry.guildPermissions(guildId).find((entry) => entry.id === req.params.command);
        if (!found) throw new ApiError(404, RESTJSONErrorCodes.UnknownApplicationCommandPermissions, 'Unknown application command permissions');
        return json(found);
      },
    },
    {
      method: 'PUT',
      pattern: '/applications/:application/guilds/:guild/commands/:command/permissions',
      // Editing command permissions needs a user's Bearer token; Discord refuses bot tokens.
      handler: () => {
        throw new ApiError(403, RESTJSONErrorCodes.BotsCannotUseThisEndpoint, 'Bots cannot use this endpoint');
      },
    },
    { method: 'GET', pattern: '/applications/:application/guilds/:guild/commands/:command', handler: getCommand },
    { method: 'PATCH', pattern: '/applications/:application/guilds/:guild/commands/:command', handler: editCommand },
    { method: 'DELETE', pattern: '/applications/:application/guilds/:guild/commands/:command', handler: deleteCommand },

    {
      method: 'GET',
      pattern: '/guilds/:guild',
      handler: (req) => {
        const guildId = requireGuildForBot(ctx, req.params.guild);
        const counts = queryFlag(req.query, 'with_counts')
          ? { approximate_member_count: state.requireGuild(guildId).members.size, approximate_presence_count: 0 }
          : {};
        // GET /guilds/{id} also carries the server guide's header (null without one) and the retired voice region.
        return json({ ...state.apiGuild(guildId), home_header: null, region: 'deprecated', nsfw: false, ...counts });
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guild/channels',
      handler: (req) => {
        const guildId = requireGuildForBot(ctx, req.params.guild);
        return json(state.guildChannels(guildId).filter((channel) => !channel.thread).map((channel) => state.apiChannel(channel.id)));
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guild/roles',
      handler: (req) => {
        const guildId = requireGuildForBot(ctx, req.params.guild);
        return json([...state.requireGuild(guildId).roles.values()].map((role) => state.apiRole(role)));
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guild/members',
      handler: (req) => {
        const guildId = requireGuildForBot(ctx, req.params.guild);
        // Listing members needs the GUILD_MEMBERS privileged intent enabled for the app.
        if ((ctx.enabledPrivilegedIntents & GatewayIntentBits.GuildMembers) === 0) throw ApiError.missingAccess();
        const limit = Number(req.query.get('limit') ?? 1);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
          const errors = new FormErrors();
          errors.add(['limit'], formError.numberMax(1000));
          throw ApiError.invalidFormBody(errors);
        }
        const after = req.query.get('after') ?? '0';
        const members = [...state.requireGuild(guildId).members.keys()]
          .filter((userId) => BigInt(userId) > BigInt(after))
          .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))
          .slice(0, limit);
        return json(members.map((userId) => state.apiMember(guildId, userId)));
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guild/members/:user',
      handler: (req) => {
        const guildId = requireGuildForBot(ctx, req.params.guild);
        if (!state.member(guildId, req.params.user ?? '')) throw ApiError.unknownMember();
        return json(state.apiMember(guildId, req.params.user ?? ''));
      },
    },
    { method: 'PUT', pattern: '/guilds/:guild/members/:user/roles/:role', handler: (req) => memberRoleChange(req, true) },
    { method: 'DELETE', pattern: '/guilds/:guild/members/:user/roles/:role', handler: (req) => memberRoleChange(req, false) },

    { method: 'POST', pattern: '/interactions/:interaction/:token/callback', auth: false, handler: (req) => interactions.handleCallback(req) },
    { method: 'POST', pattern: '/webhooks/:application/:token', auth: false, handler: (req) => interactions.executeWebhook(req) },
    { method: 'GET', pattern: '/webhooks/:application/:token/messages/:message', auth: false, handler: (req) => interactions.getWebhookMessage(req) },
    { method: 'PATCH', pattern: '/webhooks/:application/:token/messages/:message', auth: false, handler: (req) => interactions.editWebhookMessage(req) },
    { method: 'DELETE', pattern: '/webhooks/:application/:token/messages/:message', auth: false, handler: (req) => interactions.deleteWebhookMessage(req) },
  ];
}

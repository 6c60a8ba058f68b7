import { ChannelType, GatewayDispatchEvents, GatewayIntentBits, OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';
import type { RouteDefinition, RouteDeps } from './routes-core.js';
import { requireGuildForBot } from './routes-core.js';
import { ApiError, FormErrors, formError } from './errors.js';
import { json, type RestRequest } from './http-types.js';
import { ALL_PERMISSIONS, basePermissions, has, permissionsFor } from './permissions.js';
import type { OverwriteRecord } from './state.js';
import { isObject } from './validation.js';

/** Channel types a bot may create with POST /guilds/{id}/channels (the ones this project uses). */
const CREATABLE_TYPES = new Set<number>([ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildCategory]);

function notAnObject(): ApiError {
  const errors = new FormErrors();
  errors.add([], formError.type('object'));
  return ApiError.invalidFormBody(errors);
}

/** Discord sends and accepts permission bitsets as decimal strings (integers are accepted too). */
function parseBitset(value: unknown, errors: FormErrors, path: (string | number)[]): bigint {
  if (value === undefined || value === null) return 0n;
  if ((typeof value === 'string' && /^\d{1,20}$/.test(value)) || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)) {
    const bits = BigInt(value);
    if ((bits & ~ALL_PERMISSIONS) === 0n) return bits;
  }
  errors.add(path, formError.type('a valid permission bitset'));
  return 0n;
}

/**
 * Guild administration the one-step setup uses, with Discord's documented rules:
 * - Create Guild Channel needs MANAGE_CHANNELS; "only permissions your bot has in the guild or parent
 *   channel (if applicable) can be allowed/denied (unless your bot has a MANAGE_ROLES overwrite in the
 *   channel)", else 50013; overwrites must name an existing role or member.
 * - Create Guild Role needs MANAGE_ROLES and may only grant permissions the bot itself has.
 */
export function guildAdminRoutes({ ctx }: RouteDeps): RouteDefinition[] {
  const { state } = ctx;

  const createChannel = (req: RestRequest) => {
    const guildId = requireGuildForBot(ctx, req.params.guild);
    const guild = state.requireGuild(guildId);
    const body = req.body;
    if (!isObject(body)) throw notAnObject();
    const errors = new FormErrors();
    const name = body.name;
    if (typeof name !== 'string' || name.length === 0) errors.add(['name'], formError.required());
    else if (name.length > 100) errors.add(['name'], formError.badLength(1, 100));
    const type = body.type === undefined ? ChannelType.GuildText : body.type;
    if (typeof type !== 'number' || !CREATABLE_TYPES.has(type)) errors.add(['type'], formError.choices(CREATABLE_TYPES));
    let parentId: string | null = null;
    if (body.parent_id !== undefined && body.parent_id !== null) {
      const parent = typeof body.parent_id === 'string' ? state.channels.get(body.parent_id) : undefined;
      if (!parent || parent.guildId !== guildId || parent.type !== ChannelType.GuildCategory || type === ChannelType.GuildCategory) {
        errors.add(['parent_id'], formError.custom('CHANNEL_PARENT_INVALID', 'Category does not exist.'));
      } else parentId = parent.id;
    }
    const overwrites: OverwriteRecord[] = [];
    const rawOverwrites = body.permission_overwrites ?? [];
    if (!Array.isArray(rawOverwrites) || rawOverwrites.length > 100) errors.add(['permission_overwrites'], formError.type('array of at most 100'));
    else {
      rawOverwrites.forEach((raw: unknown, index) => {
        const at = ['permission_overwrites', index];
        if (!isObject(raw) || typeof raw.id !== 'string') return void errors.add(at, formError.type('overwrite'));
        const overwriteType = Number(raw.type);
        const exists = overwriteType === OverwriteType.Role ? guild.roles.has(raw.id) : overwriteType === OverwriteType.Member ? guild.members.has(raw.id) : false;
        if (!exists) return void errors.add([...at, 'id'], formError.custom('UNKNOWN_OVERWRITE_TARGET', 'Unknown role or member.'));
        overwrites.push({
          id: raw.id,
          type: overwriteType as OverwriteType,
          allow: parseBitset(raw.allow, errors, [...at, 'allow']),
          deny: parseBitset(raw.deny, errors, [...at, 'deny']),
        });
      });
    }
    errors.throwIfAny();

    const base = basePermissions(state, guildId, ctx.botUserId);
    const scope = parentId ? permissionsFor(state, ctx.botUserId, parentId) : base;
    if (!has(scope, PermissionFlagsBits.ManageChannels)) throw ApiError.missingPermissions();
    const isAdmin = has(base, PermissionFlagsBits.Administrator);
    const requested = overwrites.reduce((all, overwrite) => all | overwrite.allow | overwrite.deny, 0n);
    const botOverwriteManagesRoles = overwrites.some(
      (overwrite) =>
        has(overwrite.allow, PermissionFlagsBits.ManageRoles) &&
        (overwrite.id === ctx.botUserId || state.member(guildId, ctx.botUserId)?.roles.includes(overwrite.id)),
    );
    if (!isAdmin && !botOverwriteManagesRoles && (requested & ~scope) !== 0n) throw ApiError.missingPermissions();

    const channel = state.addChannel({
      type: type as ChannelType,
      guildId,
      name: name as string,
      position: state.guildChannels(guildId).length,
      topic: typeof body.topic === 'string' ? body.topic.slice(0, 1024) : null,
      parentId,
      nsfw: false,
      rateLimitPerUser: 0,
      overwrites,
      thread: null,
      recipientIds: [],
    });
    ctx.gateway.dispatch(GatewayDispatchEvents.ChannelCreate, () => state.apiChannel(channel.id), { intent: GatewayIntentBits.Guilds, guildId });
    return json(state.apiChannel(channel.id), 201);
  };

  const createRole = (req: RestRequest) => {
    const guildId = requireGuildForBot(ctx, req.params.guild);
    const body = req.body ?? {};
    if (!isObject(body)) throw notAnObject();
    const errors = new FormErrors();
    const name = body.name === undefined ? 'new role' : body.name;
    if (typeof name !== 'string' || name.length === 0 || name.length > 100) errors.add(['name'], formError.badLength(1, 100));
    const permissions = parseBitset(body.permissions, errors, ['permissions']);
    if (body.mentionable !== undefined && typeof body.mentionable !== 'boolean') errors.add(['mentionable'], formError.type('boolean'));
    errors.throwIfAny();
    const base = basePermissions(state, guildId, ctx.botUserId);
    if (!has(base, PermissionFlagsBits.ManageRoles)) throw ApiError.missingPermissions();
    if (!has(base, PermissionFlagsBits.Administrator) && (permissions & ~base) !== 0n) throw ApiError.missingPermissions();
    const role = state.addRole(guildId, { name: name as string, permissions, mentionable: body.mentionable === true });
    ctx.gateway.dispatch(GatewayDispatchEvents.GuildRoleCreate, { guild_id: guildId, role: state.apiRole(role) }, { intent: GatewayIntentBits.Guilds, guildId });
    return json(state.apiRole(role));
  };

  return [
    { method: 'POST', pattern: '/guilds/:guild/channels', handler: createChannel },
    { method: 'POST', pattern: '/guilds/:guild/roles', handler: createRole },
  ];
}

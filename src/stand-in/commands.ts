import {
  ApplicationCommandPermissionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  type APIApplicationCommand,
  type APIApplicationCommandOption,
  type APIApplicationCommandPermission,
  type APIGuildApplicationCommandPermissions,
} from 'discord-api-types/v10';
import type { SnowflakeGenerator } from './snowflake.js';
import type { JsonObject } from './validation.js';

/** One write call to a command endpoint (PUT/POST/PATCH/DELETE), successful or not. */
export interface RegistrationCall {
  method: string;
  scope: 'global' | { guildId: string };
  status: number;
  at: number;
}

/** Registered application commands, global and per guild, with Discord's id-preserving overwrite. */
export class CommandRegistry {
  private readonly scopes = new Map<string, Map<string, APIApplicationCommand>>();
  /** Per-guild permission overwrites keyed by command id (or the application id for app-wide ones). */
  private readonly permissions = new Map<string, Map<string, APIApplicationCommandPermission[]>>();
  readonly calls: RegistrationCall[] = [];

  constructor(
    private readonly ids: SnowflakeGenerator,
    private readonly applicationId: string,
  ) {}

  private scope(guildId: string | null): Map<string, APIApplicationCommand> {
    const key = guildId ?? 'global';
    let scope = this.scopes.get(key);
    if (!scope) {
      scope = new Map();
      this.scopes.set(key, scope);
    }
    return scope;
  }

  list(guildId: string | null): APIApplicationCommand[] {
    return [...this.scope(guildId).values()];
  }

  get(guildId: string | null, commandId: string): APIApplicationCommand | undefined {
    return this.scope(guildId).get(commandId);
  }

  /** Guild command first (Discord shows both; a guild one is the more specific registration). */
  find(guildId: string | null, name: string, type: ApplicationCommandType): APIApplicationCommand | undefined {
    const matches = (command: APIApplicationCommand): boolean => command.name === name && command.type === type;
    const inGuild = guildId ? this.list(guildId).find(matches) : undefined;
    return inGuild ?? this.list(null).find(matches);
  }

  allNames(guildId: string | null): string[] {
    return [...(guildId ? this.list(guildId) : []), ...this.list(null)].map((command) => `${command.name} (type ${command.type})`);
  }

  /** PUT semantics: replace the scope; commands keeping name+type keep their id. */
  overwrite(guildId: string | null, bodies: JsonObject[]): APIApplicationCommand[] {
    const previous = this.list(guildId);
    const scope = this.scope(guildId);
    scope.clear();
    return bodies.map((body) => {
      const type = typeof body.type === 'number' ? body.type : ApplicationCommandType.ChatInput;
      const existing = previous.find((command) => command.name === body.name && command.type === type);
      const command = this.materialize(guildId, body, existing?.id);
      scope.set(command.id, command);
      return command;
    });
  }

  /** POST semantics: upsert by name+type. */
  upsert(guildId: string | null, body: JsonObject): { command: APIApplicationCommand; created: boolean } {
    const type = typeof body.type === 'number' ? body.type : ApplicationCommandType.ChatInput;
    const existing = this.list(guildId).find((command) => command.name === body.name && command.type === type);
    const command = this.materialize(guildId, body, existing?.id);
    this.scope(guildId).set(command.id, command);
    return { command, created: !existing };
  }

  edit(guildId: string | null, commandId: string, patch: JsonObject): APIApplicationCommand | undefined {
    const existing = this.get(guildId, commandId);
    if (!existing) return undefined;
    const merged: JsonObject = { ...(existing as unknown as JsonObject), ...patch };
    const command = this.materialize(guildId, merged, existing.id);
    this.scope(guildId).set(command.id, command);
    return command;
  }

  delete(guildId: string | null, commandId: string): boolean {
    return this.scope(guildId).delete(commandId);
  }

  setPermissions(guildId: string, targetId: string, permissions: APIApplicationCommandPermission[]): void {
    let guild = this.permissions.get(guildId);
    if (!guild) {
      guild = new Map();
      this.permissions.set(guildId, guild);
    }
    guild.set(targetId, structuredClone(permissions));
  }

  permissionsFor(guildId: string, targetId: string): APIApplicationCommandPermission[] {
    return this.permissions.get(guildId)?.get(targetId) ?? [];
  }

  /** `GET .../commands/permissions` shape. */
  guildPermissions(guildId: string): APIGuildApplicationCommandPermissions[] {
    return [...(this.permissions.get(guildId) ?? new Map<string, APIApplicationCommandPermission[]>()).entries()].map(([id, permissions]) => ({
      id,
      application_id: this.applicationId,
      guild_id: guildId,
      permissions: structuredClone(permissions),
    }));
  }

  /**
   * Discord's overwrite precedence for one level (command or app-wide): a user overwrite decides;
   * else any matching role that allows wins over roles that deny; else the @everyone overwrite.
   * Returns null when no overwrite at this level applies to the user.
   */
  static memberVerdict(permissions: APIApplicationCommandPermission[], guildId: string, userId: string, roleIds: string[]): boolean | null {
    const user = permissions.find((entry) => entry.type === ApplicationCommandPermissionType.User && entry.id === userId);
    if (user) return user.permission;
    const roles = permissions.filter((entry) => entry.type === ApplicationCommandPermissionType.Role && roleIds.includes(entry.id));
    if (roles.length > 0) return roles.some((entry) => entry.permission);
    const everyone = permissions.find((entry) => entry.type === ApplicationCommandPermissionType.Role && entry.id === guildId);
    return everyone ? everyone.permission : null;
  }

  /** Channel overwrites: the channel itself, else "all channels" (guild id - 1). */
  static channelVerdict(permissions: APIApplicationCommandPermission[], guildId: string, channelId: string): boolean | null {
    const allChannels = (BigInt(guildId) - 1n).toString();
    const channel = permissions.find((entry) => entry.type === ApplicationCommandPermissionType.Channel && entry.id === channelId);
    if (channel) return channel.permission;
    const all = permissions.find((entry) => entry.type === ApplicationCommandPermissionType.Channel && entry.id === allChannels);
    return all ? all.permission : null;
  }

  /** Response shape; localization maps only with `?with_localizations=true` on GET. */
  present(command: APIApplicationCommand, withLocalizations: boolean): APIApplicationCommand {
    if (withLocalizations) return structuredClone(command);
    const { name_localizations: _names, description_localizations: _descriptions, ...rest } = structuredClone(command);
    return rest;
  }

  private materialize(guildId: string | null, body: JsonObject, id?: string): APIApplicationCommand {
    const type = (typeof body.type === 'number' ? body.type : ApplicationCommandType.ChatInput) as ApplicationCommandType;
    const command: APIApplicationCommand = {
      id: id ?? this.ids.next(),
      application_id: this.applicationId,
      version: this.ids.next(),
      type,
      name: String(body.name),
      name_localizations: (body.name_localizations ?? null) as APIApplicationCommand['name_localizations'],
      description: typeof body.description === 'string' ? body.description : '',
      description_localizations: (body.description_localizations ?? null) as APIApplicationCommand['description_localizations'],
      default_member_permissions: typeof body.default_member_permissions === 'string' ? body.default_member_permissions : null,
      nsfw: body.nsfw === true,
      integration_types: (Array.isArray(body.integration_types) ? body.integration_types : [ApplicationIntegrationType.GuildInstall]) as ApplicationIntegrationType[],
      contexts: (Array.isArray(body.contexts) ? body.contexts : null) as APIApplicationCommand['contexts'],
      ...(Array.isArray(body.options) && body.options.length > 0 ? { options: structuredClone(body.options) as APIApplicationCommandOption[] } : {}),
      ...(guildId ? { guild_id: guildId } : { dm_permission: body.dm_permission !== false }),
    };
    return command;
  }
}

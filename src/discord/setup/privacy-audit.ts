import { OverwriteType, type Guild, type GuildBasedChannel } from 'discord.js';
import type { GuildSettings } from '../../domain/guild-settings.js';
import { auditPrivacy, type AuditedChannel, type AuditInput, type AuditReport, type AuditRole } from '../../domain/setup/privacy-audit.js';

const CHANNEL_COLUMNS: Record<AuditedChannel, 'supportChannelId' | 'triageChannelId' | 'modlogChannelId'> = {
  support: 'supportChannelId',
  triage: 'triageChannelId',
  modlog: 'modlogChannelId',
};

/**
 * Reads the facts the audit needs from Discord (GET /guilds/{id}/roles and /channels, so an edit
 * that has not reached the cache yet still counts) and runs the plain audit on them.
 */
export async function runPrivacyAudit(guild: Guild, settings: GuildSettings): Promise<AuditReport> {
  const roles = await guild.roles.fetch().catch(() => guild.roles.cache);
  const channels = await guild.channels.fetch().catch(() => guild.channels.cache);
  const me = guild.members.me ?? (await guild.members.fetchMe());
  const channelFacts = (purpose: AuditedChannel): AuditInput['channels'][AuditedChannel] => {
    const id = settings[CHANNEL_COLUMNS[purpose]];
    const channel: GuildBasedChannel | null | undefined = id ? (channels.get(id) ?? guild.channels.cache.get(id)) : undefined;
    if (!channel || channel.isThread()) return null;
    return {
      id: channel.id,
      overwrites: channel.permissionOverwrites.cache.map((overwrite) => ({
        id: overwrite.id,
        type: overwrite.type === OverwriteType.Member ? 'member' : 'role',
        allow: overwrite.allow.bitfield,
        deny: overwrite.deny.bitfield,
      })),
    };
  };
  return auditPrivacy({
    guildId: guild.id,
    roles: roles.map(
      (role): AuditRole => ({
        id: role.id,
        name: role.name,
        permissions: role.permissions.bitfield,
        managed: role.managed,
        tagged: role.tags !== null,
        mentionable: role.mentionable,
        botId: role.tags?.botId ?? null,
      }),
    ),
    bot: { userId: me.id, roleIds: [...me.roles.cache.keys()] },
    staffRoles: { moderator: settings.moderatorRoleId, support: settings.supportRoleId, spanishSupport: settings.spanishSupportRoleId },
    channels: { support: channelFacts('support'), triage: channelFacts('triage'), modlog: channelFacts('modlog') },
  });
}

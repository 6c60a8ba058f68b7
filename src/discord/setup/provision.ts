import { DiscordAPIError, type Guild, type OverwriteResolvable } from 'discord.js';
import type { Logger } from '../../logger.js';
import type { Services } from '../../services.js';
import { t, type Language } from '../../i18n/index.js';
import type { ChannelPurpose } from '../channel-permissions.js';
import { CHANNEL_COLUMNS, placeholder, planProvisioning, ROLE_COLUMNS, type ProvisionPlan, type RolePurpose } from './provision-plan.js';

export interface ProvisionResult {
  created: string[];
  /** Set when Discord refused a step; everything before it was created and saved. */
  failed: { what: string; code: number | string } | null;
}

const ROLE_MENTIONABLE: Record<RolePurpose, boolean> = { moderator: true, support: true, spanish_support: true, volunteer: true };

/**
 * Creates what the plan lists, roles first (channel overwrites refer to them), and saves each new
 * id in the guild settings as soon as it exists, so a refusal half-way leaves a consistent setup
 * that a second click completes. Never edits anything that already existed.
 */
export async function provisionGuild(guild: Guild, services: Services, lang: Language, logger: Logger): Promise<ProvisionResult> {
  const me = guild.members.me ?? (await guild.members.fetchMe());
  const plan: ProvisionPlan = planProvisioning({
    settings: services.settings.get(guild.id),
    guildId: guild.id,
    botUserId: me.id,
    botPermissions: me.permissions.bitfield,
  });
  const created: string[] = [];
  const roleIds = new Map<string, string>();
  const reason = t(lang, 'setup.start.auditReason');
  let current = '';
  try {
    for (const purpose of plan.roles) {
      current = t(lang, `setup.start.names.role_${purpose}`);
      const role = await guild.roles.create({ name: current, permissions: [], mentionable: ROLE_MENTIONABLE[purpose], reason });
      roleIds.set(placeholder(purpose), role.id);
      services.settings.setRoles(guild.id, { [ROLE_COLUMNS[purpose]]: role.id });
      created.push(`<@&${role.id}>`);
    }
    let categoryId: string | undefined;
    for (const channel of plan.channels) {
      current = t(lang, `setup.start.names.${channel.purpose === 'staff-category' ? 'category' : channel.purpose}`);
      const permissionOverwrites: OverwriteResolvable[] = channel.overwrites.map((overwrite) => ({
        id: roleIds.get(overwrite.id) ?? overwrite.id,
        type: overwrite.type,
        allow: overwrite.allow,
        deny: overwrite.deny,
      }));
      const made = await guild.channels.create({
        name: current,
        type: channel.type,
        parent: channel.inStaffCategory ? categoryId : undefined,
        permissionOverwrites,
        reason,
      });
      if (channel.purpose === 'staff-category') {
        categoryId = made.id;
        created.push(`📁 ${made.name}`);
        continue;
      }
      services.settings.setChannels(guild.id, { [CHANNEL_COLUMNS[channel.purpose as ChannelPurpose]]: made.id });
      created.push(`<#${made.id}>`);
    }
    return { created, failed: null };
  } catch (error) {
    if (!(error instanceof DiscordAPIError)) throw error;
    logger.warn({ guild: guild.id, code: error.code, status: error.status }, 'one-step setup: Discord refused a step');
    return { created, failed: { what: current, code: error.code } };
  }
}

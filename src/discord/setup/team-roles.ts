import type { APIRole, Role } from 'discord.js';
import { DomainError } from '../../domain/errors.js';
import { teamRoleRefusal } from '../../domain/setup/role-rules.js';
import type { MessageKey } from '../../i18n/index.js';
import type { CommandContext } from '../types.js';

/**
 * `/setup roles` refuses @everyone and managed roles before anything is stored: the whole command
 * changes nothing if any one role is unfit. `options` are the role option names it takes.
 */
export function assertTeamRoles(context: CommandContext, options: readonly string[]): void {
  for (const option of options) {
    const role: Role | APIRole | null = context.interaction.options.getRole(option);
    if (!role) continue;
    const refusal = teamRoleRefusal({ id: role.id, managed: role.managed, tagged: role.tags != null }, context.guildId);
    if (!refusal) continue;
    throw new DomainError(`setup.roleRefused.${refusal}`, {
      role: `<@&${role.id}>`,
      option: context.t(`setup.roleNames.${option}` as MessageKey),
    });
  }
}

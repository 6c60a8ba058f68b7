/**
 * Which roles may be stored as a team role (moderator, support, Spanish support, volunteer).
 * @everyone shares the guild's id and every member holds it, so storing it would make every member
 * staff, able to list and join every private request. Managed roles (bots, integrations, server
 * boosters, linked or purchasable roles) are handed out by Discord or another app, never by the team,
 * so membership in them says nothing about who the team chose.
 */
export interface RoleFacts {
  id: string;
  managed: boolean;
  /** Discord sends `tags` only on roles that belong to a bot, an integration, boosting or a subscription. */
  tagged: boolean;
}

export type RoleRefusal = 'everyone' | 'managed';

export function teamRoleRefusal(role: RoleFacts, guildId: string): RoleRefusal | null {
  if (role.id === guildId) return 'everyone';
  if (role.managed || role.tagged) return 'managed';
  return null;
}

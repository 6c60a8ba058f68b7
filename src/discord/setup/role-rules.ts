import type { MessageKey } from '../../i18n/index.js';

/**
 * A staff or volunteer role must be one the server hands out on purpose: @everyone (its id is the
 * guild id, and every member holds it) would make every member staff, and a managed role (a bot's,
 * an integration's, the booster role) is granted by Discord, not by the server's admins.
 */
export function roleRefusal(role: { id: string; managed: boolean }, guildId: string): MessageKey | null {
  if (role.id === guildId) return 'setup.roleIsEveryone';
  if (role.managed) return 'setup.roleIsManaged';
  return null;
}

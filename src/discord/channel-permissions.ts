import { PermissionFlagsBits, type Guild, type GuildBasedChannel } from 'discord.js';

export type ChannelPurpose = 'support' | 'triage' | 'updates' | 'advocacy' | 'tasks' | 'modlog';

const POST = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks;

/** What each configured channel must allow the bot, checked by /setup before anything fails later. */
export const CHANNEL_NEEDS: Record<ChannelPurpose, bigint> = {
  support:
    POST |
    PermissionFlagsBits.ReadMessageHistory |
    PermissionFlagsBits.CreatePrivateThreads |
    PermissionFlagsBits.ManageThreads |
    PermissionFlagsBits.SendMessagesInThreads,
  triage: POST,
  updates: POST,
  advocacy: POST,
  tasks: POST,
  modlog: POST,
};

/** Flag names (as in PermissionFlagsBits) the bot lacks in `channel` for `purpose`. */
export async function missingChannelPermissions(
  guild: Guild,
  channel: GuildBasedChannel,
  purpose: ChannelPurpose,
): Promise<string[]> {
  const me = guild.members.me ?? (await guild.members.fetchMe());
  const granted = channel.permissionsFor(me);
  const needed = CHANNEL_NEEDS[purpose];
  return Object.entries(PermissionFlagsBits)
    .filter(([, bit]) => (needed & bit) === bit && !granted.has(bit))
    .map(([name]) => name);
}

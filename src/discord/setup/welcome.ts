import { ChannelType, Events, PermissionFlagsBits, type Client, type Guild, type GuildTextBasedChannel } from 'discord.js';
import { t } from '../../i18n/index.js';
import type { Logger } from '../../logger.js';
import type { Services } from '../../services.js';

const WELCOME_NEEDS = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
const welcomedKey = (guildId: string): string => `welcomed:${guildId}`;

/** The system channel if the bot may write there, else the first text channel (by position) it may. */
export function welcomeChannel(guild: Guild): GuildTextBasedChannel | undefined {
  const me = guild.members.me;
  if (!me) return undefined;
  const writable = (channel: GuildTextBasedChannel | null | undefined): channel is GuildTextBasedChannel =>
    !!channel && channel.permissionsFor(me).has(WELCOME_NEEDS);
  if (writable(guild.systemChannel)) return guild.systemChannel;
  return [...guild.channels.cache.values()]
    .filter((channel): channel is GuildTextBasedChannel & { rawPosition: number } => channel.type === ChannelType.GuildText && writable(channel))
    .sort((a, b) => a.rawPosition - b.rawPosition || a.id.localeCompare(b.id))[0];
}

/**
 * One short bilingual welcome per server, telling an admin what to run first. Recorded before it
 * is sent, so a crash or a second GUILD_CREATE never posts twice; servers configured before this
 * release are marked as welcomed without a post.
 */
export async function welcomeGuild(guild: Guild, services: Services, logger: Logger): Promise<void> {
  if (services.botState.get(welcomedKey(guild.id)) !== undefined) return;
  const configured = services.settings.guildIds().includes(guild.id);
  services.botState.set(welcomedKey(guild.id), configured ? 'configured-before' : new Date(services.clock.now()).toISOString());
  if (configured) return;
  const channel = welcomeChannel(guild);
  if (!channel) {
    logger.warn({ guild: guild.id }, 'welcome: no channel the bot may write in');
    return;
  }
  try {
    await channel.send({ content: `${t('en', 'setup.welcome')}\n\n${t('es', 'setup.welcome')}`, allowedMentions: { parse: [] } });
    logger.info({ guild: guild.id }, 'welcome posted');
  } catch (error) {
    logger.warn({ guild: guild.id, err: error }, 'welcome could not be posted');
  }
}

/**
 * Joins while connected arrive as guildCreate. Servers joined while the bot was offline show up at
 * ready: the app calls `welcomeAll` after registering commands, so the welcome's command mentions
 * carry their ids.
 */
export function registerWelcome(client: Client, services: Services, logger: Logger): { welcomeAll(): void } {
  client.on(Events.GuildCreate, (guild) => void welcomeGuild(guild, services, logger));
  return {
    welcomeAll() {
      for (const guild of client.guilds.cache.values()) void welcomeGuild(guild, services, logger);
    },
  };
}

import {
  GatewayDispatchEvents,
  type Client,
  type GatewayMessageCreateDispatchData,
  type GatewayThreadDeleteDispatchData,
} from 'discord.js';
import { formatRequestNumber } from '../../domain/support/index.js';
import { t } from '../../i18n/index.js';
import type { Logger } from '../../logger.js';
import type { Services } from '../../services.js';
import { postModlog, staffLanguage } from './threads.js';

/**
 * Notices *that* someone posted in a support thread, and who (for reminders and reply-time
 * statistics). It reads the raw gateway event's ids only: never the content (the bot has no
 * MessageContent intent anyway), and it needs no thread cache.
 */
export function registerSupportActivity(client: Client, services: Services, logger: Logger): void {
  client.ws.on(GatewayDispatchEvents.MessageCreate, (data: GatewayMessageCreateDispatchData) => {
    if (!data.guild_id || data.author.bot || data.webhook_id) return;
    // Most messages are in ordinary channels: skip them without a database read when the cache knows.
    const cached = client.channels.cache.get(data.channel_id);
    if (cached && !cached.isThread()) return;
    try {
      const who = services.support.recordMessage(data.guild_id, data.channel_id, data.author.id);
      if (who) logger.debug({ guildId: data.guild_id, threadId: data.channel_id, who }, 'support thread activity');
    } catch (error) {
      logger.error({ err: error, guildId: data.guild_id }, 'could not record support thread activity');
    }
  });

  // A deleted thread cannot be answered or reopened: close its request so the member can open a new one.
  client.ws.on(GatewayDispatchEvents.ThreadDelete, (data: GatewayThreadDeleteDispatchData) => {
    if (!data.guild_id) return;
    try {
      // The bot deleted it on purpose (erasure, retention, the delete button): nothing to close or log.
      if (services.conversations.isQueued(data.id)) return;
      const closed = services.support.closeForDeletedThread(data.guild_id, data.id);
      if (!closed) return;
      logger.info({ guildId: data.guild_id, requestId: closed.id }, 'support thread deleted; request closed');
      const guild = client.guilds.cache.get(data.guild_id);
      if (guild) {
        const lang = staffLanguage(services.settings.get(guild.id));
        void postModlog({ guild, services, logger }, 'triage.audit.wrapper', {
          line: t(lang, 'triage.audit.threadDeleted', { number: formatRequestNumber(closed.number) }),
        });
      }
    } catch (error) {
      logger.error({ err: error, guildId: data.guild_id }, 'could not close the request of a deleted thread');
    }
  });
}

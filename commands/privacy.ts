import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder } from 'discord.js';
import { OptionType } from '../src/discord/command-definition.js';
import { encodeCustomId } from '../src/discord/custom-id.js';
import { deleteMemberConversations } from '../src/discord/support/conversation-deletion.js';
import { timestamp } from '../src/discord/support/render.js';
import type { CommandModule } from '../src/discord/types.js';

const EMBED_FIELD_VALUE_MAX = 1024;

export const privacy: CommandModule = {
  declaration: {
    name: 'privacy',
    options: [
      { name: 'mydata', type: OptionType.Subcommand },
      { name: 'delete', type: OptionType.Subcommand },
      {
        name: 'leaderboard',
        type: OptionType.Subcommand,
        options: [{ name: 'visible', type: OptionType.Boolean, required: true }],
      },
    ],
  },
  access: 'everyone',
  async execute({ interaction, services, guildId, userId, lang, t, reply }) {
    const subcommand = interaction.options.getSubcommand(true);
    if (subcommand === 'leaderboard') {
      const visible = interaction.options.getBoolean('visible', true);
      services.tasks.setLeaderboardOptOut(guildId, userId, !visible);
      await reply({ content: t(visible ? 'privacy.leaderboardShown' : 'privacy.leaderboardHidden'), ephemeral: true });
      return;
    }
    if (subcommand === 'delete') {
      // Erasing is irreversible, so it takes a second, deliberate click.
      const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId(encodeCustomId('privacy', 'erase', userId)).setStyle(ButtonStyle.Danger).setLabel(t('privacy.confirmButton')),
        new ButtonBuilder().setCustomId(encodeCustomId('privacy', 'keep', userId)).setStyle(ButtonStyle.Secondary).setLabel(t('privacy.cancelButton')),
      );
      // Say what goes beyond the database: the conversations, for the team too; and what stays.
      const conversations = services.conversations.memberThreads(guildId, userId).length;
      const blockedUntil = services.supportPrivacy.activeBlockUntil(guildId, userId);
      const lines = [t('privacy.confirm')];
      if (conversations > 0) lines.push(t('privacy.confirmConversations', { count: conversations }));
      if (blockedUntil !== null) lines.push(t('privacy.confirmBlock', { until: timestamp(blockedUntil, 'D') }));
      await reply({ content: lines.join('\n\n'), components: [row], ephemeral: true });
      return;
    }
    const items = services.privacy.describe(guildId, userId, lang);
    const embed = new EmbedBuilder().setTitle(t('privacy.title'));
    if (items.length === 0) {
      embed.setDescription(t('privacy.nothingStored'));
    } else {
      // The erase hint names a command; mentions render in the description, not in a footer.
      embed.setDescription(`${t('privacy.intro')}\n\n${t('privacy.footer')}`);
      for (const item of items.slice(0, 25)) {
        let value = item.lines.join('\n');
        if (value.length > EMBED_FIELD_VALUE_MAX) value = `${value.slice(0, EMBED_FIELD_VALUE_MAX - 1)}…`;
        embed.addFields({ name: item.category.slice(0, 256), value: value || '—' });
      }
    }
    await reply({ embeds: [embed], ephemeral: true });
  },
  components: {
    erase: {
      deferStyle: 'update',
      async run({ args, userId, guildId, services, t, update, logger, runtime }) {
        // The confirmation is ephemeral, but check anyway: only the member can erase their data.
        if (args[0] !== userId) return update({ content: t('privacy.notYours'), components: [] });
        const blockedUntil = services.supportPrivacy.activeBlockUntil(guildId, userId);
        const threads = await deleteMemberConversations(runtime.client, services, logger, guildId, userId);
        const changed = services.privacy.erase(guildId, userId);
        services.conversations.done(threads.deleted);
        logger.info({ guildId, rows: changed, conversations: threads.deleted.length, retrying: threads.failed.length }, 'member data erased on request');
        const lines = [t('privacy.erased')];
        if (threads.deleted.length > 0) lines.push(t('privacy.erasedConversations', { count: threads.deleted.length }));
        if (threads.failed.length > 0) lines.push(t('privacy.erasedConversationsLater', { count: threads.failed.length }));
        if (blockedUntil !== null) lines.push(t('privacy.erasedBlockStays', { until: timestamp(blockedUntil, 'D') }));
        await update({ content: lines.join('\n\n'), components: [] });
      },
    },
    keep: {
      async run({ t, update }) {
        await update({ content: t('privacy.kept'), components: [] });
      },
    },
  },
};

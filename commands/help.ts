import { EmbedBuilder } from 'discord.js';
import { commandDescription } from '../src/discord/command-definition.js';
import { hasAccess } from '../src/discord/guards.js';
import type { CommandModule } from '../src/discord/types.js';
import { commandReference } from '../src/i18n/index.js';

export const help: CommandModule = {
  declaration: { name: 'help' },
  access: 'everyone',
  async execute({ interaction, lang, t, services, runtime, guildId, reply }) {
    const settings = services.settings.get(guildId);
    // Only what this member may run: staff and admin commands stay out of members' lists.
    const lines = runtime.commands
      .filter((command) => hasAccess(command.access, interaction.member, settings))
      // A command mention shows each command in the member's client language and runs it on click.
      .map((command) => `${commandReference(lang, command.declaration.name)}: ${commandDescription(lang, command.declaration.name)}`);
    const embed = new EmbedBuilder()
      .setTitle(t('help.title'))
      .setDescription([t('help.intro'), '', ...lines, ...(runtime.config.SOURCE_URL ? ['', t('help.source', { url: runtime.config.SOURCE_URL })] : [])].join('\n'))
      .setFooter({ text: t('help.footer') });
    await reply({ embeds: [embed], ephemeral: true });
  },
};

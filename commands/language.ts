import { OptionType } from '../src/discord/command-definition.js';
import type { CommandModule } from '../src/discord/types.js';
import { isLanguage, resolveLanguage, t } from '../src/i18n/index.js';

export const language: CommandModule = {
  declaration: {
    name: 'language',
    options: [{ name: 'set', type: OptionType.String, required: true, choices: ['en', 'es', 'auto'] }],
  },
  access: 'everyone',
  async execute({ interaction, services, guildId, userId, reply }) {
    const choice = interaction.options.getString('set', true);
    const stored = isLanguage(choice) ? choice : null;
    services.preferences.setLanguage(guildId, userId, stored);
    // Answer in the language that now applies, so the member sees the change take effect.
    const effective = resolveLanguage({
      memberChoice: stored,
      interactionLocale: interaction.locale,
      guildLocale: interaction.guildLocale,
    });
    const content =
      stored === null
        ? t(effective, 'language.auto', { language: t(effective, `language.names.${effective}`) })
        : t(effective, 'language.saved', { language: t(effective, `language.names.${stored}`) });
    await reply({ content, ephemeral: true });
  },
};

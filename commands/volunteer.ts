import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder } from 'discord.js';
import { encodeCustomId } from '../src/discord/custom-id.js';
import type { CommandModule } from '../src/discord/types.js';
import { SKILLS } from '../src/domain/tasks/skills.js';
import { translateDynamic } from '../src/i18n/index.js';

const HOW_TO_HELP = 'how-to-help';

export const volunteer: CommandModule = {
  declaration: { name: 'volunteer' },
  access: 'everyone',
  async execute({ lang, t, services, guildId, reply }) {
    const { volunteerFormUrl } = services.settings.get(guildId);
    // The task board's skills, so what /volunteer asks for matches the tasks volunteers can claim.
    const skills = SKILLS.filter((skill) => skill !== 'other').map((skill) => `• ${translateDynamic(lang, `skills.${skill}`)}`);
    const embed = new EmbedBuilder()
      .setTitle(t('volunteer.title'))
      .setDescription(t('volunteer.intro'))
      .addFields(
        { name: t('volunteer.skillsHeading'), value: [...skills, t('volunteer.andMore')].join('\n') },
        { name: t('volunteer.tasksHeading'), value: t('volunteer.tasksHint') },
      );
    const buttons = [
      new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(volunteerFormUrl).setLabel(t('volunteer.formButton')),
      new ButtonBuilder()
        .setStyle(ButtonStyle.Primary)
        .setCustomId(encodeCustomId('task', 'browse'))
        .setLabel(t('volunteer.browseTasks')),
    ];
    if (services.guides.has(HOW_TO_HELP)) {
      buttons.push(
        new ButtonBuilder()
          .setStyle(ButtonStyle.Secondary)
          .setCustomId(encodeCustomId('guide', 'open', HOW_TO_HELP, lang, 0, 'e'))
          .setLabel(t('volunteer.guideButton')),
      );
    }
    await reply({ embeds: [embed], components: [new ActionRowBuilder<ButtonBuilder>().addComponents(buttons)], ephemeral: true });
  },
};

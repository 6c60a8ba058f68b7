import { SupportService, formatRequestNumber } from '../src/domain/support/index.js';
import { buildSupportModal, MODAL_FIELDS, timestamp } from '../src/discord/support/render.js';
import { createSupportRequest } from '../src/discord/support/threads.js';
import type { CommandContext, CommandModule, ComponentContext, ModalContext } from '../src/discord/types.js';

/**
 * Answers with the form itself (a modal cannot follow a deferral): only fast synchronous SQLite
 * reads happen first, and a blocked member or one with an open request gets a reply instead.
 */
async function openForm(context: CommandContext | ComponentContext): Promise<void> {
  const check = context.services.support.checkCanOpen(context.guildId, context.userId);
  if (check.kind !== 'ok') throw SupportService.refusal(check);
  await context.showModal(buildSupportModal(context.lang));
}

function selected(context: ModalContext, field: string): string {
  try {
    return context.interaction.fields.getStringSelectValues(field)[0] ?? '';
  } catch {
    return '';
  }
}

export const support: CommandModule = {
  declaration: { name: 'support' },
  access: 'everyone',
  opensModal: true,
  execute: openForm,
  components: {
    // The "Request help" button on the panel posted with /setup panel.
    open: { access: 'everyone', opensModal: true, run: openForm },
  },
  modals: {
    submit: {
      access: 'everyone',
      async run(context) {
        const { interaction, t } = context;
        let description = '';
        try {
          description = interaction.fields.getTextInputValue(MODAL_FIELDS.description);
        } catch {
          description = '';
        }
        const { request, nextAvailable } = await createSupportRequest(
          { guild: interaction.guild, services: context.services, logger: context.logger },
          context.userId,
          {
            topic: selected(context, MODAL_FIELDS.topic),
            language: selected(context, MODAL_FIELDS.language),
            urgent: selected(context, MODAL_FIELDS.urgent) === 'yes',
          },
          description,
        );
        const lines = [t('support.created', { number: formatRequestNumber(request.number), threadId: request.threadId ?? '' })];
        if (request.urgent) lines.push(t('support.createdUrgent'));
        if (nextAvailable !== null) {
          lines.push(t('support.hours.outside', { next: timestamp(nextAvailable), relative: timestamp(nextAvailable, 'R') }));
        }
        await context.reply({ content: lines.join('\n\n'), ephemeral: true });
      },
    },
  },
};

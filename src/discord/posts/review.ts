import type { ComponentContext } from '../types.js';
import type { ReviewDecision } from '../../domain/updates/update-service.js';
import { bilingual, postLanguages } from '../../domain/posts/languages.js';
import { assertModerator } from './views.js';

/**
 * Approve / Reject on a review message in the mod log. The domain decision is one conditional
 * UPDATE (two moderators clicking at once: one wins, the other is told); then the review message
 * is edited to say who decided, and its buttons are removed.
 */
export async function handleReview(context: ComponentContext, decision: ReviewDecision, decide: () => void): Promise<void> {
  const { interaction, services, guildId } = context;
  const settings = services.settings.get(guildId);
  assertModerator(interaction.member, settings);
  decide();
  const languages = postLanguages(settings.defaultLanguage);
  const verdict = bilingual(languages, decision === 'approve' ? 'posts.review.approved' : 'posts.review.rejected', {
    user: `<@${context.userId}>`,
  });
  const previous = interaction.message.content ? `${interaction.message.content}\n` : '';
  await context.update({
    content: `${previous}**${verdict}**`.slice(0, 2000),
    embeds: interaction.message.embeds.map((embed) => embed.toJSON()),
    components: [],
  });
}

/** Parses the numeric argument of a review button; a tampered id is refused as stale. */
export function numericArg(args: readonly string[]): number | null {
  const value = Number(args[0]);
  return Number.isInteger(value) && value > 0 ? value : null;
}

import type { TaskListFilter, TaskStatus } from '../../domain/tasks/task-service.js';
import { isStaff } from '../guards.js';
import type { AutocompleteContext } from '../types.js';

/** Which tasks an `id` option offers, per subcommand (the rest of the command still checks). */
const OFFERED: Record<string, { statuses: TaskStatus[]; mineUnlessStaff?: boolean }> = {
  show: { statuses: ['open', 'claimed'] },
  claim: { statuses: ['open'] },
  release: { statuses: ['claimed'], mineUnlessStaff: true },
  done: { statuses: ['claimed'], mineUnlessStaff: true },
  edit: { statuses: ['open', 'claimed'] },
  cancel: { statuses: ['open', 'claimed'] },
  assign: { statuses: ['open', 'claimed'] },
};

/** Suggests task numbers as "#12 · title" for the `id` options of /task and /task-admin. */
export async function autocompleteTaskId({ interaction, services }: AutocompleteContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const offered = OFFERED[interaction.options.getSubcommand(false) ?? ''];
  if (focused.name !== 'id' || !offered) {
    await interaction.respond([]);
    return;
  }
  const staff = isStaff(interaction.member, services.settings.get(interaction.guildId));
  const filter: TaskListFilter = {
    statuses: offered.statuses,
    claimantId: offered.mineUnlessStaff && !staff ? interaction.user.id : null,
  };
  const found = services.tasks.search(interaction.guildId, filter, String(focused.value ?? ''));
  await interaction.respond(found.map((task) => ({ name: `#${task.number} · ${task.title}`.slice(0, 100), value: task.number })));
}

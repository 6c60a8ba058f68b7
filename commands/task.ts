import { OptionType, type OptionDeclaration } from '../src/discord/command-definition.js';
import { isStaff } from '../src/discord/guards.js';
import { autocompleteTaskId } from '../src/discord/tasks/autocomplete.js';
import { taskNotifier } from '../src/discord/tasks/notifier.js';
import { decodeListView, dueText, listPayload, statsEmbed, taskButtons, taskEmbed, type TaskListView } from '../src/discord/tasks/views.js';
import type { CommandContext, CommandModule, ComponentContext } from '../src/discord/types.js';
import { DomainError } from '../src/domain/errors.js';
import { SKILLS, isSkill } from '../src/domain/tasks/skills.js';
import { NOTE_MAX, type Actor, type TaskStatus } from '../src/domain/tasks/task-service.js';

type Context = CommandContext | ComponentContext;

const idOption: OptionDeclaration = { name: 'id', type: OptionType.Integer, required: true, minValue: 1, autocomplete: true };

function actor(context: Context): Actor {
  return { userId: context.userId, staff: isStaff(context.interaction.member, context.services.settings.get(context.guildId)) };
}

function notifier(context: Context) {
  return taskNotifier(context.runtime.client, context.services, context.logger);
}

/** The task number carried by a button; a malformed id is treated like a stale button. */
function numberArg(context: ComponentContext): number {
  const number = Number(context.args[0]);
  if (!Number.isSafeInteger(number) || number < 1) throw new DomainError('errors.staleComponent');
  return number;
}

function listPage(context: Context, view: TaskListView, page: number) {
  const statuses: TaskStatus[] = view.mine ? ['claimed'] : ['open'];
  const result = context.services.tasks.list(
    context.guildId,
    { skill: view.skill, claimantId: view.mine ? context.userId : null, statuses },
    page,
  );
  return listPayload(result, view, context.lang, context.services.clock.now());
}

// One code path per action, shared by the slash command and the buttons.

async function claim(context: Context, number: number): Promise<void> {
  const { task, renewed } = context.services.tasks.claim(context.guildId, number, context.userId);
  const vars = { number: task.number, title: task.title };
  const content = renewed
    ? context.t('task.renewed', { number: task.number, count: context.services.tasks.getSettings(context.guildId).idleDays })
    : task.dueAt !== null
      ? context.t('task.claimedWithDue', { ...vars, due: dueText(task.dueAt) })
      : context.t('task.claimed', vars);
  await context.reply({ content, ephemeral: true });
  await notifier(context).settled(task.id);
}

async function release(context: Context, number: number): Promise<void> {
  const { task, formerClaimantId } = context.services.tasks.release(context.guildId, number, actor(context));
  const content =
    formerClaimantId && formerClaimantId !== context.userId
      ? context.t('task.releasedFor', { number: task.number, title: task.title, userId: formerClaimantId })
      : context.t('task.released', { number: task.number, title: task.title });
  await context.reply({ content, ephemeral: true });
  await notifier(context).settled(task.id);
}

async function complete(context: Context, number: number, note: string | null): Promise<void> {
  const task = context.services.tasks.complete(context.guildId, number, actor(context), note);
  await context.reply({ content: context.t('task.done', { number: task.number, title: task.title }), ephemeral: true });
  await notifier(context).settled(task.id);
}

export const task: CommandModule = {
  declaration: {
    name: 'task',
    options: [
      {
        name: 'list',
        type: OptionType.Subcommand,
        options: [
          { name: 'skill', type: OptionType.String, choices: SKILLS },
          { name: 'mine', type: OptionType.Boolean },
        ],
      },
      { name: 'show', type: OptionType.Subcommand, options: [idOption] },
      { name: 'claim', type: OptionType.Subcommand, options: [idOption] },
      { name: 'release', type: OptionType.Subcommand, options: [idOption] },
      {
        name: 'done',
        type: OptionType.Subcommand,
        options: [idOption, { name: 'note', type: OptionType.String, maxLength: NOTE_MAX }],
      },
      { name: 'stats', type: OptionType.Subcommand },
    ],
  },
  access: 'everyone',
  autocomplete: autocompleteTaskId,
  async execute(context) {
    const { interaction, services, guildId } = context;
    const options = interaction.options;
    switch (options.getSubcommand(true)) {
      case 'list': {
        const skill = options.getString('skill');
        const view: TaskListView = { skill: isSkill(skill) ? skill : null, mine: options.getBoolean('mine') ?? false };
        return context.reply({ ...listPage(context, view, 0), ephemeral: true });
      }
      case 'show': {
        const found = services.tasks.get(guildId, options.getInteger('id', true));
        return context.reply({
          embeds: [taskEmbed(found, context.lang, services.clock.now())],
          components: taskButtons(found, context.lang),
          ephemeral: true,
        });
      }
      case 'claim':
        return claim(context, options.getInteger('id', true));
      case 'release':
        return release(context, options.getInteger('id', true));
      case 'done':
        return complete(context, options.getInteger('id', true), options.getString('note'));
      case 'stats':
        return context.reply({ embeds: [statsEmbed(services.tasks.stats(guildId), context.lang)], ephemeral: true });
      default:
        throw new Error(`unknown /task subcommand ${options.getSubcommand(true)}`);
    }
  },
  components: {
    claim: { run: (context) => claim(context, numberArg(context)) },
    release: { run: (context) => release(context, numberArg(context)) },
    done: { run: (context) => complete(context, numberArg(context), null) },
    // /volunteer's "Browse open tasks" button.
    browse: { run: (context) => context.reply({ ...listPage(context, { skill: null, mine: false }, 0), ephemeral: true }) },
    page: {
      deferStyle: 'update',
      run: (context) => {
        const { view, page } = decodeListView(context.args);
        return context.update(listPage(context, view, page));
      },
    },
  },
};

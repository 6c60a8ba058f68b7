import { GuildMember } from 'discord.js';
import { OptionType } from '../src/discord/command-definition.js';
import { isStaff } from '../src/discord/guards.js';
import {
  assignRequest,
  claimRequest,
  closeRequest,
  forgetConversation,
  joinRequest,
  offerSecureContact,
  logBlockChange,
  reopenRequest,
  setRequestStatus,
} from '../src/discord/support/actions.js';
import { forgetConfirmation, queueMessage, statsEmbed, timestamp, type QueueFilter } from '../src/discord/support/render.js';
import { actorFor, type SupportIo } from '../src/discord/support/threads.js';
import type { CommandContext, CommandModule, ComponentContext, ComponentHandler } from '../src/discord/types.js';
import { DomainError } from '../src/domain/errors.js';
import {
  BLOCK_DAYS,
  CLOSE_REASON_MAX_LENGTH,
  ConversationService,
  QUEUE_STATUSES,
  formatRequestNumber,
  type QueueStatus,
  type SupportRequest,
} from '../src/domain/support/index.js';
import { isLanguage } from '../src/i18n/index.js';

type Context = CommandContext | ComponentContext;

const io = (context: Context): SupportIo => ({ guild: context.interaction.guild, services: context.services, logger: context.logger });
const actor = (context: Context) => actorFor(context.interaction.member, context.services.settings.get(context.guildId));
/** Request ids in custom ids are numbers; anything else is a forged or broken id. */
function requestIdArg(context: ComponentContext): number {
  const id = Number(context.args[0]);
  if (!Number.isSafeInteger(id) || id <= 0) throw new DomainError('triage.errors.notFound');
  return id;
}

/** The request of the support thread this command was used in. */
const here = (context: CommandContext): SupportRequest =>
  context.services.support.getByThread(context.guildId, context.interaction.channelId);

async function done(context: Context, key: Parameters<Context['t']>[0], request: SupportRequest, extra: Record<string, string> = {}) {
  await context.reply({
    content: context.t(key, { number: formatRequestNumber(request.number), threadId: request.threadId ?? '', ...extra }),
    ephemeral: true,
  });
}

function parseFilter(status: string | null | undefined, language: string | null | undefined): QueueFilter {
  return {
    status: status && (QUEUE_STATUSES as readonly string[]).includes(status) ? (status as QueueStatus) : null,
    language: isLanguage(language) ? language : null,
  };
}

/** A user option as a member with roles, or a clear refusal when they are not in the server. */
function memberOption(context: CommandContext, name: string): GuildMember {
  const member = context.interaction.options.getMember(name);
  if (!(member instanceof GuildMember)) throw new DomainError('triage.errors.notMember');
  return member;
}

const staffButton = (run: (context: ComponentContext) => Promise<void>): ComponentHandler => ({ access: 'staff', run });

export const triage: CommandModule = {
  declaration: {
    name: 'triage',
    options: [
      {
        name: 'queue',
        type: OptionType.Subcommand,
        options: [
          { name: 'status', type: OptionType.String, choices: QUEUE_STATUSES },
          { name: 'language', type: OptionType.String, choices: ['en', 'es'] },
        ],
      },
      { name: 'stats', type: OptionType.Subcommand },
      { name: 'claim', type: OptionType.Subcommand },
      { name: 'assign', type: OptionType.Subcommand, options: [{ name: 'user', type: OptionType.User, required: true }] },
      {
        name: 'status',
        type: OptionType.Subcommand,
        options: [{ name: 'status', type: OptionType.String, required: true, choices: ['waiting', 'open'] }],
      },
      {
        name: 'close',
        type: OptionType.Subcommand,
        options: [{ name: 'reason', type: OptionType.String, maxLength: CLOSE_REASON_MAX_LENGTH }],
      },
      { name: 'reopen', type: OptionType.Subcommand },
      {
        name: 'block',
        type: OptionType.Subcommand,
        options: [
          { name: 'user', type: OptionType.User, required: true },
          { name: 'days', type: OptionType.Integer, minValue: BLOCK_DAYS.min, maxValue: BLOCK_DAYS.max },
        ],
      },
      { name: 'unblock', type: OptionType.Subcommand, options: [{ name: 'user', type: OptionType.User, required: true }] },
    ],
  },
  access: 'staff',
  async execute(context) {
    const { interaction, services, guildId } = context;
    const options = interaction.options;
    switch (options.getSubcommand(true)) {
      case 'queue': {
        const filter = parseFilter(options.getString('status'), options.getString('language'));
        const page = services.support.queue(guildId, filter, 0);
        return context.reply({ ...queueMessage(page, filter, context.lang), ephemeral: true });
      }
      case 'stats':
        return context.reply({ embeds: [statsEmbed(services.support.stats(guildId), context.lang)], ephemeral: true });
      case 'claim':
        return done(context, 'triage.done.claimed', await claimRequest(io(context), actor(context), here(context).id));
      case 'assign': {
        const member = memberOption(context, 'user');
        const assignee = { userId: member.id, staff: isStaff(member, services.settings.get(guildId)) };
        const request = await assignRequest(io(context), actor(context), here(context).id, assignee);
        return done(context, 'triage.done.assigned', request, { userId: member.id });
      }
      case 'status': {
        const to = options.getString('status', true) === 'waiting' ? 'waiting' : 'open';
        const request = await setRequestStatus(io(context), actor(context), here(context).id, to);
        return done(context, to === 'waiting' ? 'triage.done.waiting' : 'triage.done.open', request);
      }
      case 'close': {
        const reason = options.getString('reason')?.trim() || null;
        if (reason && reason.length > CLOSE_REASON_MAX_LENGTH) {
          throw new DomainError('triage.errors.reasonTooLong', { max: CLOSE_REASON_MAX_LENGTH });
        }
        return done(context, 'triage.done.closed', await closeRequest(io(context), actor(context), here(context).id, reason));
      }
      case 'reopen':
        return done(context, 'triage.done.reopened', await reopenRequest(io(context), actor(context), here(context).id));
      case 'block': {
        const user = options.getUser('user', true);
        const member = options.getMember('user');
        const target = { userId: user.id, staff: member instanceof GuildMember && isStaff(member, services.settings.get(guildId)) };
        const { block, entry } = services.support.block(guildId, actor(context), target, options.getInteger('days') ?? BLOCK_DAYS.default);
        await logBlockChange(io(context), entry, block.expiresAt);
        return context.reply({ content: context.t('triage.done.blocked', { userId: user.id, until: timestamp(block.expiresAt, 'D') }), ephemeral: true });
      }
      case 'unblock': {
        const user = options.getUser('user', true);
        const { entry } = services.support.unblock(guildId, actor(context), user.id);
        await logBlockChange(io(context), entry, null);
        return context.reply({ content: context.t('triage.done.unblocked', { userId: user.id }), ephemeral: true });
      }
    }
  },
  components: {
    join: staffButton(async (context) => done(context, 'triage.done.joined', await joinRequest(io(context), actor(context), requestIdArg(context)))),
    claim: staffButton(async (context) => done(context, 'triage.done.claimed', await claimRequest(io(context), actor(context), requestIdArg(context)))),
    waiting: staffButton(async (context) =>
      done(context, 'triage.done.waiting', await setRequestStatus(io(context), actor(context), requestIdArg(context), 'waiting')),
    ),
    open: staffButton(async (context) =>
      done(context, 'triage.done.open', await setRequestStatus(io(context), actor(context), requestIdArg(context), 'open')),
    ),
    // The requester may close and reopen their own request; the domain checks who is acting.
    close: {
      access: 'everyone',
      async run(context) {
        await done(context, 'triage.done.closed', await closeRequest(io(context), actor(context), requestIdArg(context), null));
      },
    },
    reopen: {
      access: 'everyone',
      async run(context) {
        await done(context, 'triage.done.reopened', await reopenRequest(io(context), actor(context), requestIdArg(context)));
      },
    },
    // "Delete this conversation" on a closed request: the requester or a moderator, after confirming.
    forget: {
      access: 'everyone',
      async run(context) {
        const request = context.services.support.get(context.guildId, requestIdArg(context));
        ConversationService.checkForget(request, actor(context));
        await context.reply({ ...forgetConfirmation(request, context.lang), ephemeral: true });
      },
    },
    'forget-yes': {
      access: 'everyone',
      deferStyle: 'update',
      async run(context) {
        const id = requestIdArg(context);
        const request = context.services.support.get(context.guildId, id);
        ConversationService.checkForget(request, actor(context));
        const number = formatRequestNumber(request.number);
        // Answer first: once the thread is gone, this message (which lives in it) goes with it.
        await context.update({ content: context.t('support.conversation.deleting', { number }), components: [] });
        const { deleted } = await forgetConversation(io(context), actor(context), id);
        if (!deleted) await context.reply({ content: context.t('support.conversation.later', { number }), ephemeral: true });
      },
    },
    'forget-no': {
      access: 'everyone',
      async run(context) {
        await context.update({ content: context.t('support.conversation.kept'), components: [] });
      },
    },
    secure: staffButton(async (context) => {
      await offerSecureContact(io(context), actor(context), requestIdArg(context));
      await context.reply({ content: context.t('support.conversation.secureContactPosted'), ephemeral: true });
    }),
    page: {
      access: 'staff',
      deferStyle: 'update',
      async run(context) {
        const [pageText, status, language] = context.args;
        const filter = parseFilter(status, language);
        const page = context.services.support.queue(context.guildId, filter, Number(pageText) || 0);
        await context.update(queueMessage(page, filter, context.lang));
      },
    },
    // "Join a request…" menu under the queue and reminders.
    pick: staffButton(async (context) => {
      if (!context.interaction.isStringSelectMenu()) throw new DomainError('triage.errors.notFound');
      const id = Number(context.interaction.values[0]);
      if (!Number.isSafeInteger(id) || id <= 0) throw new DomainError('triage.errors.notFound');
      await done(context, 'triage.done.joined', await joinRequest(io(context), actor(context), id));
    }),
  },
};

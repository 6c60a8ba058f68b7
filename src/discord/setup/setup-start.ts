import {
  ButtonStyle,
  ChannelType,
  ComponentType,
  PermissionFlagsBits,
  SelectMenuDefaultValueType,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type EmbedBuilder,
  type Guild,
} from 'discord.js';
import { DomainError } from '../../domain/errors.js';
import { teamRoleRefusal } from '../../domain/setup/role-rules.js';
import type { GuildSettings } from '../../domain/guild-settings.js';
import { t, type Language } from '../../i18n/index.js';
import type { Services } from '../../services.js';
import type { ChannelPurpose } from '../channel-permissions.js';
import { OptionType, type OptionDeclaration } from '../command-definition.js';
import { encodeCustomId } from '../custom-id.js';
import { setupInviteUrl } from '../client.js';
import type { CommandContext, ComponentContext, ComponentHandler } from '../types.js';
import { provisionGuild } from './provision.js';
import { CHANNEL_COLUMNS, planIsEmpty, planProvisioning, PROVISION_PERMISSIONS, ROLE_COLUMNS, type RolePurpose } from './provision-plan.js';

export const setupStartSubcommand: OptionDeclaration = { name: 'start', type: OptionType.Subcommand };

type Pick = { kind: 'channel'; purpose: ChannelPurpose } | { kind: 'role'; purpose: RolePurpose };

/** The walk-through: three steps of pickers, then the same audit as /setup show. */
const STEPS: readonly (readonly Pick[])[] = [
  [
    { kind: 'channel', purpose: 'support' },
    { kind: 'channel', purpose: 'triage' },
    { kind: 'channel', purpose: 'modlog' },
  ],
  [
    { kind: 'channel', purpose: 'tasks' },
    { kind: 'channel', purpose: 'updates' },
    { kind: 'channel', purpose: 'advocacy' },
  ],
  [
    { kind: 'role', purpose: 'moderator' },
    { kind: 'role', purpose: 'support' },
    { kind: 'role', purpose: 'spanish_support' },
    { kind: 'role', purpose: 'volunteer' },
  ],
];
const SUMMARY_STEP = STEPS.length;

/** Renders /setup show's embed; passed in by the command so the audit has one implementation. */
export type SettingsEmbed = (guild: Guild, services: Services, settings: GuildSettings, lang: Language) => Promise<EmbedBuilder[]>;

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

const value = (settings: GuildSettings, pick: Pick): string | null =>
  settings[pick.kind === 'channel' ? CHANNEL_COLUMNS[pick.purpose] : ROLE_COLUMNS[pick.purpose]] as string | null;

const pickLabel = (lang: Language, pick: Pick): string =>
  pick.kind === 'channel' ? t(lang, `setup.channelNames.${pick.purpose}`) : t(lang, `setup.roleNames.${pick.purpose}`);

function pickerRow(settings: GuildSettings, pick: Pick, lang: Language): Row {
  const current = value(settings, pick);
  const placeholder = t(lang, 'setup.start.choose', { what: pickLabel(lang, pick) }).slice(0, 150);
  const customId = encodeCustomId('setup', 'pick', pick.kind, pick.purpose);
  const select =
    pick.kind === 'channel'
      ? {
          type: ComponentType.ChannelSelect as const,
          custom_id: customId,
          placeholder,
          // Private threads need a text channel; the announcement channels may also be news channels.
          channel_types: pick.purpose === 'support' ? [ChannelType.GuildText] : [ChannelType.GuildText, ChannelType.GuildAnnouncement],
          default_values: current ? [{ id: current, type: SelectMenuDefaultValueType.Channel as const }] : [],
        }
      : {
          type: ComponentType.RoleSelect as const,
          custom_id: customId,
          placeholder,
          default_values: current ? [{ id: current, type: SelectMenuDefaultValueType.Role as const }] : [],
        };
  return { type: ComponentType.ActionRow, components: [select] };
}

const canProvision = (guild: Guild): boolean => {
  const me = guild.members.me;
  return me !== null && me.permissions.has(PROVISION_PERMISSIONS);
};

function missingCount(guild: Guild, services: Services): number {
  const me = guild.members.me;
  if (!me) return 0;
  const plan = planProvisioning({ settings: services.settings.get(guild.id), guildId: guild.id, botUserId: me.id, botPermissions: me.permissions.bitfield });
  return planIsEmpty(plan) ? 0 : plan.roles.length + plan.channels.filter((channel) => channel.purpose !== 'staff-category').length;
}

interface StepView {
  content: string;
  embeds: EmbedBuilder[];
  components: Row[];
}

async function renderStep(step: number, guild: Guild, services: Services, lang: Language, note: string | undefined, settingsEmbed: SettingsEmbed): Promise<StepView> {
  const settings = services.settings.get(guild.id);
  const missing = missingCount(guild, services);
  const buttons: Row['components'] = [];
  if (step > 0) {
    buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: encodeCustomId('setup', 'step', step - 1), label: t(lang, 'setup.start.back') });
  }
  if (step < SUMMARY_STEP) {
    buttons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Primary,
      custom_id: encodeCustomId('setup', 'step', step + 1),
      label: t(lang, step === SUMMARY_STEP - 1 ? 'setup.start.finish' : 'setup.start.next'),
    });
  }
  if (missing > 0 && canProvision(guild)) {
    buttons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Success,
      custom_id: encodeCustomId('setup', 'create'),
      label: t(lang, 'setup.start.createMissing', { count: missing }),
    });
  }
  const lines = [note, step < SUMMARY_STEP ? t(lang, `setup.start.steps.${step as 0 | 1 | 2}`, { step: step + 1, total: SUMMARY_STEP }) : t(lang, 'setup.start.summary')];
  if (missing > 0) {
    lines.push(canProvision(guild) ? t(lang, 'setup.start.canCreate', { count: missing }) : t(lang, 'setup.start.cannotCreate', { count: missing, url: setupInviteUrl(guild.client.user.id) }));
  }
  const rows: Row[] = step < SUMMARY_STEP ? STEPS[step]!.map((pick) => pickerRow(settings, pick, lang)) : [];
  if (buttons.length > 0) rows.push({ type: ComponentType.ActionRow, components: buttons });
  const embeds = step === SUMMARY_STEP ? await settingsEmbed(guild, services, settings, lang) : [];
  return { content: lines.filter(Boolean).join('\n\n').slice(0, 2000), embeds, components: rows };
}

/** `/setup start`: one ephemeral message that the buttons and menus below edit in place. */
export function setupStart(settingsEmbed: SettingsEmbed) {
  return async (context: CommandContext): Promise<void> => {
    const view = await renderStep(0, context.interaction.guild, context.services, context.lang, undefined, settingsEmbed);
    await context.reply({ ...view, ephemeral: true });
  };
}

const stepArg = (context: ComponentContext): number => {
  const step = Number(context.args[0]);
  if (!Number.isInteger(step) || step < 0 || step > SUMMARY_STEP) throw new DomainError('setup.start.stale');
  return step;
};

const stepOf = (pick: Pick): number => STEPS.findIndex((picks) => picks.some((candidate) => candidate.kind === pick.kind && candidate.purpose === pick.purpose));

function decodePick(args: string[]): Pick {
  const [kind, purpose] = args;
  if (kind === 'channel' && purpose && purpose in CHANNEL_COLUMNS) return { kind, purpose: purpose as ChannelPurpose };
  if (kind === 'role' && purpose && purpose in ROLE_COLUMNS) return { kind, purpose: purpose as RolePurpose };
  throw new DomainError('setup.start.stale');
}

/** Components of the walk-through; admin only, like /setup itself. */
export function setupStartComponents(settingsEmbed: SettingsEmbed): Record<string, ComponentHandler> {
  return {
    step: {
      access: 'admin',
      deferStyle: 'update',
      async run(context) {
        await context.update(await renderStep(stepArg(context), context.interaction.guild, context.services, context.lang, undefined, settingsEmbed));
      },
    },
    pick: {
      access: 'admin',
      deferStyle: 'update',
      async run(context) {
        const pick = decodePick(context.args);
        const { interaction, services, guildId, lang } = context;
        let note: string;
        if (pick.kind === 'channel') {
          if (!interaction.isChannelSelectMenu()) throw new DomainError('setup.start.stale');
          const channel = interaction.channels.first();
          const allowed = pick.purpose === 'support' ? [ChannelType.GuildText] : [ChannelType.GuildText, ChannelType.GuildAnnouncement];
          if (!channel || !allowed.includes(channel.type as ChannelType.GuildText)) throw new DomainError('setup.start.wrongChannelType');
          services.settings.setChannels(guildId, { [CHANNEL_COLUMNS[pick.purpose]]: channel.id });
          note = t(lang, 'setup.start.savedChannel', { what: pickLabel(lang, pick), channel: `<#${channel.id}>` });
        } else {
          if (!interaction.isRoleSelectMenu()) throw new DomainError('setup.start.stale');
          const role = interaction.roles.first();
          if (!role) throw new DomainError('setup.start.stale');
          const refusal = teamRoleRefusal({ id: role.id, managed: role.managed, tagged: role.tags != null }, guildId);
          if (refusal) throw new DomainError(`setup.roleRefused.${refusal}`, { role: `<@&${role.id}>`, option: pickLabel(lang, pick) });
          services.settings.setRoles(guildId, { [ROLE_COLUMNS[pick.purpose]]: role.id });
          note = t(lang, 'setup.start.savedRole', { what: pickLabel(lang, pick), role: `<@&${role.id}>` });
        }
        await context.update(await renderStep(stepOf(pick), interaction.guild, services, lang, `✅ ${note}`, settingsEmbed));
      },
    },
    create: {
      access: 'admin',
      deferStyle: 'update',
      async run(context) {
        const { interaction, services, lang, logger } = context;
        const guild = interaction.guild;
        if (!canProvision(guild)) throw new DomainError('setup.start.noProvisionPermissions', { url: setupInviteUrl(guild.client.user.id) });
        const result = await provisionGuild(guild, services, lang, logger);
        const lines = [
          result.created.length > 0 ? t(lang, 'setup.start.created', { list: result.created.join(', ') }) : t(lang, 'setup.start.nothingCreated'),
        ];
        if (result.failed) lines.push(t(lang, 'setup.start.failed', { what: result.failed.what }));
        else lines.push(removablePermissions(guild, lang));
        await context.update(await renderStep(SUMMARY_STEP, guild, services, lang, lines.join('\n'), settingsEmbed));
      },
    },
  };
}

/** After creating everything, Manage Channels and Manage Roles are no longer needed; say so. */
function removablePermissions(guild: Guild, lang: Language): string {
  const me = guild.members.me;
  if (me?.permissions.has(PermissionFlagsBits.Administrator)) return t(lang, 'setup.start.removeAdministrator');
  return t(lang, 'setup.start.removePermissions', { role: me?.roles.botRole ? `<@&${me.roles.botRole.id}>` : guild.client.user.username });
}

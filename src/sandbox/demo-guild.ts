import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import type { DiscordStandIn } from './stand-in.js';

export type PersonaKey = 'member' | 'member-es-419' | 'member-es-es' | 'volunteer' | 'moderator' | 'admin';

export interface Persona {
  key: PersonaKey;
  /** Shown in the persona switcher. */
  label: string;
  userId: string;
  /** The Discord client locale the persona's interactions carry. */
  locale: 'en-US' | 'es-419' | 'es-ES';
}

export interface DemoGuild {
  guildId: string;
  personas: Persona[];
  roles: { moderator: string; support: string; spanishSupport: string; volunteer: string };
  channels: { general: string; support: string; triage: string; modlog: string; tasks: string; news: string; takeAction: string };
}

/** A server as it looks once an admin has created its channels and roles, before /setup. */
export function seedDemoGuild(standIn: DiscordStandIn): DemoGuild {
  const admin = standIn.createUser({ username: 'ana_admin', globalName: 'Ana (admin)' });
  const guildId = standIn.createGuild({ name: 'Help Me Leave (sandbox)', ownerId: admin, preferredLocale: 'en-US' });
  const roles = {
    moderator: standIn.createRole(guildId, {
      name: 'Moderator',
      permissions: PermissionFlagsBits.ManageThreads | PermissionFlagsBits.ManageMessages,
      mentionable: true,
    }),
    support: standIn.createRole(guildId, { name: 'Support', mentionable: true }),
    spanishSupport: standIn.createRole(guildId, { name: 'Soporte ES', mentionable: true }),
    volunteer: standIn.createRole(guildId, { name: 'Volunteer', mentionable: true }),
  };
  const member = (username: string, globalName: string, memberRoles: string[] = []) =>
    standIn.createMember(guildId, { username, globalName, roles: memberRoles });
  const personas: Persona[] = [
    { key: 'member', label: 'Maria — member (English)', userId: member('maria_member', 'Maria'), locale: 'en-US' },
    { key: 'member-es-419', label: 'Lucía — member (Spanish, es-419)', userId: member('lucia_miembro', 'Lucía'), locale: 'es-419' },
    { key: 'member-es-es', label: 'Javier — member (Spanish, es-ES)', userId: member('javier_miembro', 'Javier'), locale: 'es-ES' },
    { key: 'volunteer', label: 'Val — volunteer', userId: member('val_volunteer', 'Val', [roles.volunteer]), locale: 'en-US' },
    { key: 'moderator', label: 'Mo — moderator', userId: member('mo_moderator', 'Mo', [roles.moderator, roles.support]), locale: 'en-US' },
    { key: 'admin', label: 'Ana — admin (server owner)', userId: admin, locale: 'en-US' },
  ];
  // Support volunteers who are not personas, so the team roles have people in them.
  member('sam_support', 'Sam', [roles.support]);
  member('sofia_soporte', 'Sofía', [roles.spanishSupport]);

  // Staff-only channels hide from @everyone and show to the staff roles and the bot, as on a real server.
  const staffOnly = [
    { id: guildId, type: 'role' as const, allow: 0n, deny: PermissionFlagsBits.ViewChannel },
    ...[roles.moderator, roles.support, roles.spanishSupport, standIn.botRoleId(guildId)].map((id) => ({
      id,
      type: 'role' as const,
      allow: PermissionFlagsBits.ViewChannel,
      deny: 0n,
    })),
  ];
  const channel = (name: string, topic: string, permissionOverwrites: typeof staffOnly = []) =>
    standIn.createChannel(guildId, { name, type: ChannelType.GuildText, topic, permissionOverwrites });
  const channels = {
    general: channel('general', 'Say hello; try /guide, /support or /help here.'),
    support: channel('support', 'Private support threads open under this channel.'),
    news: channel('news', 'Sourced updates.'),
    takeAction: channel('take-action', 'Advocacy actions, posted on a schedule.'),
    tasks: channel('volunteer-tasks', 'The volunteer task board.'),
    triage: channel('triage', 'Staff only: new support requests.', staffOnly),
    modlog: channel('mod-log', 'Staff only: what the bot did.', staffOnly),
  };
  return { guildId, personas, roles, channels };
}

/** Runs /setup channels and /setup roles as the admin, through the stand-in, as on a real server. */
export async function runSetup(standIn: DiscordStandIn, demo: DemoGuild): Promise<void> {
  const admin = demo.personas.find((persona) => persona.key === 'admin')!;
  const base = { guildId: demo.guildId, userId: admin.userId, channelId: demo.channels.general, command: 'setup', locale: 'en-US' };
  const { channels, roles } = demo;
  const steps: { subcommand: string; options: Record<string, string> }[] = [
    {
      subcommand: 'channels',
      options: {
        support: channels.support,
        triage: channels.triage,
        updates: channels.news,
        advocacy: channels.takeAction,
        tasks: channels.tasks,
        modlog: channels.modlog,
      },
    },
    { subcommand: 'roles', options: { moderator: roles.moderator, support: roles.support, spanish_support: roles.spanishSupport, volunteer: roles.volunteer } },
  ];
  for (const step of steps) {
    const reply = await standIn.chatInput({ ...base, ...step }).waitForMessage(undefined, 10_000);
    if (!JSON.stringify(reply).includes('Saved')) throw new Error(`/setup ${step.subcommand} failed: ${reply.content ?? JSON.stringify(reply.embeds)}`);
  }
}

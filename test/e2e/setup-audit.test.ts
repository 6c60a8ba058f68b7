import type Database from 'better-sqlite3';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { startHarness, type Harness, openBotDatabase } from '../support/harness.js';

const WAIT = 10_000;
const text = (value: unknown) => JSON.stringify(value);

describe('/setup: who counts as staff, and who can see what', () => {
  let harness: Harness;
  let db: Database.Database;

  beforeAll(async () => {
    harness = await startHarness();
    db = openBotDatabase(harness.databasePath);
  });

  afterAll(async () => {
    db?.close();
    await harness?.stop();
  });

  const community = () => harness.community;
  const setup = async (subcommand: string, options: Record<string, string> = {}, locale = 'en-US') =>
    harness.standIn
      .chatInput({ guildId: community().guildId, channelId: community().channels.general, userId: community().users.admin, locale, command: 'setup', subcommand, options })
      .waitForMessage(undefined, WAIT);
  const storedRoles = () =>
    db.prepare('SELECT moderator_role_id AS moderator, support_role_id AS support, spanish_support_role_id AS spanish, volunteer_role_id AS volunteer FROM guild_settings').get();
  /** The privacy audit embed of a /setup show reply. */
  const audit = async (locale = 'en-US') => {
    const reply = await setup('show', {}, locale);
    const embed = reply.embeds.find((candidate) => candidate.title === (locale.startsWith('es') ? 'Auditoría de privacidad' : 'Privacy audit'));
    expect(embed, text(reply.embeds)).toBeDefined();
    return { reply: text(reply), audit: embed?.description ?? '' };
  };

  it('reports no findings on a clean setup, and keeps the permission check', async () => {
    const { channels, roles } = community();
    const { reply, audit: report } = await audit();
    expect(reply).toContain('The bot has every permission it needs in the configured channels.');
    expect(report).toContain('✅ No privacy problems found.');
    expect(report).not.toContain('Error:');
    expect(report).not.toContain('Warning:');
    expect(report).toContain(`<#${channels.triage}>: only staff and the bot can see it.`);
    expect(report).toContain(`<#${channels.modlog}>: only staff and the bot can see it.`);
    expect(report).toContain(`<#${channels.support}>: every member can see it (needed: members reach their private threads here).`);
    // The moderator role holds Manage Threads: it can read every thread, which the audit says.
    expect(report).toContain(`Can read every private support thread (Manage Threads or Administrator in <#${channels.support}>): <@&${roles.moderator}>.`);
    expect(report).toContain(`<@&${roles.support}> mentionable`);
    expect(report).toContain(`<@&${roles.moderator}> not mentionable`);
  });

  it('refuses @everyone and managed roles as team roles, storing nothing', async () => {
    const { standIn } = harness;
    const { guildId, roles } = community();
    const before = storedRoles();
    expect(before).toEqual({ moderator: roles.moderator, support: roles.support, spanish: roles.spanishSupport, volunteer: roles.volunteer });

    const everyone = text(await setup('roles', { support: guildId }));
    expect(everyone).toContain('@everyone cannot be the Support team role: every member holds it');
    expect(everyone).toContain('Nothing was changed.');

    const booster = standIn.createRole(guildId, { name: 'Server Booster', managedTags: { premium_subscriber: null } });
    const integration = standIn.createRole(guildId, { name: 'Patreon', managedTags: { integration_id: '1234567890' } });
    // A valid role in the same command is not stored either: the command changes nothing.
    const fresh = standIn.createRole(guildId, { name: 'New moderators' });
    for (const managed of [booster, integration, standIn.botRoleId(guildId)]) {
      const refused = text(await setup('roles', { moderator: fresh, volunteer: managed }));
      expect(refused).toContain(`<@&${managed}> cannot be the Volunteers role: Discord or another app hands it out`);
      expect(refused).not.toContain('Saved');
    }
    const spanish = text(await setup('roles', { spanish_support: booster }, 'es-ES'));
    expect(spanish).toContain(`<@&${booster}> no puede ser el rol de Equipo de apoyo en español`);
    expect(spanish).toContain('No se cambió nada.');
    expect(storedRoles()).toEqual(before);
  });

  it('ignores a team role stored as @everyone before the check, and says so', async () => {
    const { guildId, users, channels, roles } = community();
    db.prepare('UPDATE guild_settings SET support_role_id = ? WHERE guild_id = ?').run(guildId, guildId);
    try {
      const queue = harness.standIn.chatInput({ guildId, channelId: channels.general, userId: users.member, locale: 'en-US', command: 'triage', subcommand: 'queue' });
      expect(text(await queue.waitForMessage(undefined, WAIT))).toContain('Only moderators and the support team can do this.');
      const { audit: report } = await audit();
      expect(report).toContain('❌ **Error:** the Support team role is set to @everyone, which cannot be a team role');
      // Nor is it pinged: a new request falls back to the moderators, as with no support role.
      const form = harness.standIn.chatInput({ guildId, channelId: channels.general, userId: users.member, locale: 'en-US', command: 'support' });
      await form.response();
      const submit = harness.standIn.submitModal({
        guildId,
        channelId: channels.general,
        userId: users.member,
        locale: 'en-US',
        customId: String(form.modal?.custom_id),
        fields: { topic: ['asylum'], description: 'I need help.', language: ['en'], urgent: ['no'] },
      });
      await submit.waitForMessage(undefined, WAIT);
      const announcement = await eventually(() => harness.standIn.messagesIn(channels.triage).at(-1), 'the triage announcement');
      expect(announcement.pingedEveryone).toBe(false);
      expect(announcement.pingedRoleIds).toEqual([roles.moderator]);
      expect(announcement.message.content).not.toContain(`<@&${guildId}>`);
    } finally {
      db.prepare('UPDATE guild_settings SET support_role_id = ? WHERE guild_id = ?').run(roles.support, guildId);
    }
  });

  it('names outsiders who can view triage, flags an @everyone-visible mod-log, Manage Threads holders, unmentionable roles and the missing delete permission', async () => {
    const { standIn } = harness;
    const { guildId, channels, roles } = community();
    const bot = standIn.botRoleId(guildId);
    // Volunteers can read triage; the mod-log lost its @everyone denial.
    standIn.setPermissionOverwrite(channels.triage, { id: roles.volunteer, type: 'role', allow: PermissionFlagsBits.ViewChannel, deny: 0n });
    standIn.setPermissionOverwrites(channels.modlog, [{ id: bot, type: 'role', allow: PermissionFlagsBits.ViewChannel, deny: 0n }]);
    // A role outside the team with Manage Threads reads every private thread.
    const helpers = standIn.createRole(guildId, { name: 'Event helpers', permissions: PermissionFlagsBits.ManageThreads });
    // The bot may not mention every role in triage, and the support role is no longer mentionable.
    standIn.setPermissionOverwrite(channels.triage, { id: bot, type: 'role', allow: PermissionFlagsBits.ViewChannel, deny: PermissionFlagsBits.MentionEveryone });
    standIn.updateRole(guildId, roles.support, { mentionable: false });
    // The bot loses Manage Threads in the support channel: it could not delete conversations.
    standIn.setPermissionOverwrite(channels.support, { id: bot, type: 'role', allow: 0n, deny: PermissionFlagsBits.ManageThreads });

    const { reply, audit: report } = await audit();
    expect(reply).toContain(`In <#${channels.support}> the bot is missing: Manage Threads.`);
    expect(report).toContain(`<#${channels.triage}>: besides staff and the bot, visible to <@&${roles.volunteer}>.`);
    expect(report).toContain(`⚠️ **Warning:** <@&${roles.volunteer}> is not a team role but can see <#${channels.triage}>, the Triage (staff only) channel. **Fix:** deny View Channel`);
    expect(report).toContain(`❌ **Error:** every member (@everyone) can see <#${channels.modlog}>, the Mod log channel, which is for staff only. **Fix:**`);
    expect(report).toContain(`(Manage Threads or Administrator in <#${channels.support}>): <@&${roles.moderator}>, <@&${helpers}>.`);
    expect(report).toContain(`⚠️ **Warning:** <@&${helpers}> is not a team role but has Manage Threads or Administrator in <#${channels.support}>`);
    expect(report).toContain(`⚠️ **Warning:** the bot cannot ping <@&${roles.support}> in <#${channels.triage}>`);
    expect(report).toContain(`⚠️ **Warning:** the bot cannot ping <@&${roles.moderator}> in <#${channels.triage}>`);
    expect(report).not.toContain(`ping <@&${roles.spanishSupport}>`);
    expect(report).toContain(`❌ **Error:** the bot lacks Manage Threads in <#${channels.support}>, so it cannot delete support conversations`);
    // Errors come first, so they are never cut off.
    expect(report.indexOf('❌')).toBeLessThan(report.indexOf('⚠️ **Warning:**'));

    const { audit: spanish } = await audit('es-ES');
    expect(spanish).toContain(`❌ **Error:** cualquier persona del servidor (@everyone) puede ver <#${channels.modlog}>`);
    expect(spanish).toContain('**Cómo corregirlo:**');
    expect(spanish).toContain(`⚠️ **Aviso:** <@&${roles.volunteer}> no es un rol del equipo`);
  });
});

import { describe, expect, it } from 'vitest';
import { auditPrivacy, channelPermissions, PERMISSIONS as P, type AuditInput, type AuditOverwrite, type AuditRole } from '../../../src/domain/setup/privacy-audit.js';
import { teamRoleRefusal } from '../../../src/domain/setup/role-rules.js';

const GUILD = '100';
const BOT = '900';
// Discord's default @everyone permissions include View Channel, Send Messages and Mention Everyone.
const EVERYONE_DEFAULT = P.ViewChannel | P.SendMessages | P.MentionEveryone;

const role = (id: string, name: string, extra: Partial<AuditRole> = {}): AuditRole => ({
  id,
  name,
  permissions: 0n,
  managed: false,
  tagged: false,
  mentionable: true,
  botId: null,
  ...extra,
});

const hidden = (...viewers: string[]): AuditOverwrite[] => [
  { id: GUILD, type: 'role', allow: 0n, deny: P.ViewChannel },
  ...viewers.map((id) => ({ id, type: 'role' as const, allow: P.ViewChannel, deny: 0n })),
];

/** A server set up the way the README recommends: nothing for the audit to report. */
function cleanServer(): AuditInput {
  return {
    guildId: GUILD,
    roles: [
      role(GUILD, '@everyone', { permissions: EVERYONE_DEFAULT, mentionable: false }),
      role('1', 'Moderator', { permissions: P.ManageThreads }),
      role('2', 'Support'),
      role('3', 'Soporte ES'),
      role('4', 'Volunteer'),
      role('5', 'Admin', { permissions: P.Administrator }),
      role('8', 'helpmeleave', { managed: true, tagged: true, botId: BOT, permissions: P.ViewChannel | P.SendMessages | P.ManageThreads }),
    ],
    bot: { userId: BOT, roleIds: ['8'] },
    staffRoles: { moderator: '1', support: '2', spanishSupport: '3' },
    channels: {
      support: { id: 's', overwrites: [] },
      triage: { id: 't', overwrites: hidden('1', '2', '3', '8') },
      modlog: { id: 'm', overwrites: hidden('1', '8') },
    },
  };
}

const codes = (input: AuditInput) => auditPrivacy(input).findings.map((finding) => [finding.severity, finding.code, finding.roleId ?? finding.channel]);

describe('Discord permission algorithm', () => {
  const base = { guildId: GUILD, roles: cleanServer().roles };

  it('applies @everyone, then all role overwrites together, then the member overwrite', () => {
    const overwrites: AuditOverwrite[] = [
      { id: GUILD, type: 'role', allow: 0n, deny: P.ViewChannel },
      { id: '2', type: 'role', allow: P.ViewChannel, deny: 0n },
      { id: '4', type: 'role', allow: 0n, deny: P.ViewChannel },
      { id: '77', type: 'member', allow: 0n, deny: P.ViewChannel },
    ];
    expect(channelPermissions(base, [], overwrites) & P.ViewChannel).toBe(0n);
    expect(channelPermissions(base, ['2'], overwrites) & P.ViewChannel).toBe(P.ViewChannel);
    // A role deny never beats another role's allow: denies go first, then allows.
    expect(channelPermissions(base, ['2', '4'], overwrites) & P.ViewChannel).toBe(P.ViewChannel);
    expect(channelPermissions(base, ['4'], overwrites) & P.ViewChannel).toBe(0n);
    expect(channelPermissions(base, ['2'], overwrites, '77')).toBe(0n);
  });

  it('gives Administrator everything, whatever the overwrites say', () => {
    const overwrites: AuditOverwrite[] = [{ id: '5', type: 'role', allow: 0n, deny: P.ViewChannel | P.ManageThreads }];
    expect(channelPermissions(base, ['5'], overwrites) & (P.ViewChannel | P.ManageThreads)).toBe(P.ViewChannel | P.ManageThreads);
  });

  it('takes everything away without View Channel, and mentions without Send Messages', () => {
    expect(channelPermissions(base, ['1'], hidden())).toBe(0n);
    const mute: AuditOverwrite[] = [{ id: GUILD, type: 'role', allow: 0n, deny: P.SendMessages }];
    expect(channelPermissions(base, [], mute) & P.MentionEveryone).toBe(0n);
  });
});

describe('privacy audit', () => {
  it('finds nothing on a clean setup and still says who reads every thread', () => {
    const report = auditPrivacy(cleanServer());
    expect(report.findings).toEqual([]);
    expect(report.views.triage).toEqual({ channelId: 't', everyone: false, roleIds: [] });
    expect(report.views.support?.everyone).toBe(true);
    // Moderators and admins can read every private thread: shown, not a finding (they are staff).
    expect(report.threadReaderRoleIds).toEqual(['1', '5']);
    expect(report.staffRoles.map((state) => state.mentionable)).toEqual([true, true, true]);
  });

  it('names a role other than staff that can view the triage channel', () => {
    const input = cleanServer();
    input.channels.triage = { id: 't', overwrites: hidden('1', '2', '3', '8', '4') };
    expect(codes(input)).toEqual([['warning', 'roleCanView', '4']]);
    expect(auditPrivacy(input).views.triage?.roleIds).toEqual(['4']);
  });

  it('counts another bot’s role as an outsider, but not its own', () => {
    const input = cleanServer();
    input.roles = [...input.roles, role('9', 'OtherBot', { managed: true, tagged: true, botId: '901' })];
    input.channels.modlog = { id: 'm', overwrites: hidden('1', '8', '9') };
    expect(codes(input)).toEqual([['warning', 'roleCanView', '9']]);
  });

  it('is an error when @everyone can view the mod-log or the triage channel', () => {
    const input = cleanServer();
    input.channels.modlog = { id: 'm', overwrites: [] };
    expect(codes(input)).toEqual([['error', 'everyoneCanView', 'modlog']]);
    input.channels.triage = { id: 't', overwrites: [{ id: '2', type: 'role', allow: P.ViewChannel, deny: 0n }] };
    expect(codes(input).map(([, code, what]) => `${code}:${what}`).sort()).toEqual(['everyoneCanView:modlog', 'everyoneCanView:triage']);
  });

  it('flags a role outside the team that can read every private thread', () => {
    const input = cleanServer();
    input.roles = [...input.roles, role('6', 'Event helpers', { permissions: P.ManageThreads })];
    expect(codes(input)).toEqual([['warning', 'roleReadsThreads', '6']]);
    // A channel overwrite can grant it too.
    const viaOverwrite = cleanServer();
    viaOverwrite.channels.support = { id: 's', overwrites: [{ id: '4', type: 'role', allow: P.ManageThreads, deny: 0n }] };
    expect(codes(viaOverwrite)).toEqual([['warning', 'roleReadsThreads', '4']]);
    const everyone = cleanServer();
    everyone.channels.support = { id: 's', overwrites: [{ id: GUILD, type: 'role', allow: P.ManageThreads, deny: 0n }] };
    expect(codes(everyone)).toEqual([['error', 'everyoneReadsThreads', GUILD]]);
  });

  it('says when the bot cannot delete threads (no Manage Threads in the support channel)', () => {
    const input = cleanServer();
    input.channels.support = { id: 's', overwrites: [{ id: '8', type: 'role', allow: 0n, deny: P.ManageThreads }] };
    expect(codes(input)).toEqual([['error', 'botCannotDeleteThreads', 'support']]);
  });

  it('warns about staff roles the bot cannot ping, unless it may mention every role', () => {
    const input = cleanServer();
    input.roles = input.roles.map((entry) => (entry.id === '2' ? { ...entry, mentionable: false } : entry));
    // The bot's role overwrite in triage takes Mention Everyone away; @everyone's default grants it.
    input.channels.triage = { id: 't', overwrites: [...hidden('1', '2', '3'), { id: '8', type: 'role', allow: P.ViewChannel, deny: P.MentionEveryone }] };
    expect(codes(input)).toEqual([['warning', 'staffRoleNotMentionable', '2']]);
    input.channels.triage = { id: 't', overwrites: hidden('1', '2', '3', '8') };
    expect(codes(input)).toEqual([]);
    expect(auditPrivacy(input).botMentionsAll).toBe(true);
  });

  it('refuses to count @everyone or a managed role stored as a team role', () => {
    const input = cleanServer();
    input.roles = [...input.roles, role('7', 'Server Booster', { managed: true, tagged: true })];
    input.staffRoles = { moderator: '1', support: GUILD, spanishSupport: '7' };
    // Support and Soporte ES, no longer team roles, now show up as outsiders who can read triage.
    expect(codes(input)).toEqual([
      ['error', 'staffRoleUnfit', GUILD],
      ['error', 'staffRoleUnfit', '7'],
      ['warning', 'roleCanView', '2'],
      ['warning', 'roleCanView', '3'],
    ]);
  });
});

describe('team role rule', () => {
  it('refuses @everyone and managed or tagged roles, accepts an ordinary role', () => {
    expect(teamRoleRefusal({ id: GUILD, managed: false, tagged: false }, GUILD)).toBe('everyone');
    expect(teamRoleRefusal({ id: '7', managed: true, tagged: false }, GUILD)).toBe('managed');
    expect(teamRoleRefusal({ id: '7', managed: false, tagged: true }, GUILD)).toBe('managed');
    expect(teamRoleRefusal({ id: '2', managed: false, tagged: false }, GUILD)).toBeNull();
  });
});

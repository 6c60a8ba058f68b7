import { embedLength } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { auditEmbed } from '../../../src/discord/setup/privacy-audit-render.js';
import type { AuditReport, Finding } from '../../../src/domain/setup/privacy-audit.js';

const GUILD = '100';

function crowdedReport(outsiders: number): AuditReport {
  const roleIds = Array.from({ length: outsiders }, (_, index) => String(1_000_000_000_000_000_000n + BigInt(index)));
  const findings: Finding[] = [
    { severity: 'error', code: 'everyoneCanView', channel: 'modlog', channelId: '3' },
    ...roleIds.map((roleId): Finding => ({ severity: 'warning', code: 'roleCanView', channel: 'triage', channelId: '2', roleId })),
  ];
  return {
    views: { triage: { channelId: '2', everyone: false, roleIds }, modlog: { channelId: '3', everyone: true, roleIds: [] } },
    threadReaderRoleIds: [],
    staffRoles: [],
    botMentionsAll: true,
    findings,
  };
}

describe('privacy audit embed', () => {
  it('stays within Discord’s limits next to the settings embed, keeping errors first', () => {
    const settings = { title: 'Server settings', description: 'x'.repeat(3_000) };
    const embed = auditEmbed(crowdedReport(300), GUILD, 'en', [settings]).toJSON();
    expect(embedLength(embed) + embedLength(settings)).toBeLessThanOrEqual(6_000);
    expect(embed.description!.length).toBeLessThanOrEqual(4_096);
    expect(embed.description).toContain('❌ **Error:** every member (@everyone) can see <#3>');
    expect(embed.description).toMatch(/… \(\+\d+\)$/);
  });

  it('says so plainly when there is nothing to fix, in Spanish too', () => {
    const clean: AuditReport = { views: {}, threadReaderRoleIds: [], staffRoles: [], botMentionsAll: false, findings: [] };
    expect(auditEmbed(clean, GUILD, 'en').toJSON().description).toContain('✅ No privacy problems found.');
    expect(auditEmbed(clean, GUILD, 'es').toJSON().description).toContain('✅ No se encontraron problemas de privacidad.');
  });
});

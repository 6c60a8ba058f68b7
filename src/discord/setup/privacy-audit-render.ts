import { EmbedBuilder, embedLength, type APIEmbed } from 'discord.js';
import type { AuditedChannel, AuditReport, Finding } from '../../domain/setup/privacy-audit.js';
import { t, type Language, type MessageKey } from '../../i18n/index.js';

/**
 * The audit as a second /setup show embed. Errors are marked "❌ Error:" rather than coloured
 * through an ANSI code block: mentions do not render inside code blocks and Discord's mobile apps
 * show no ANSI colours, so the marker is what every reader sees.
 */
const DESCRIPTION_BUDGET = 3_500;
/** Roles named in one overview line; the findings below name each one anyway. */
const ROLE_LIST_MAX = 15;
/** Discord's limit on the characters of all embeds in one message. */
const MESSAGE_EMBEDS_MAX = 6_000;

/** How a finding names its channel and staff role; the doctor reuses these for its plain-text report. */
export const PURPOSE_KEY: Record<AuditedChannel, MessageKey> = {
  support: 'setup.channelNames.support',
  triage: 'setup.channelNames.triage',
  modlog: 'setup.channelNames.modlog',
};

export const STAFF_ROLE_KEY: Record<NonNullable<Finding['staffRole']>, MessageKey> = {
  moderator: 'setup.roleNames.moderator',
  support: 'setup.roleNames.support',
  spanishSupport: 'setup.roleNames.spanish_support',
};

/** `alongside`: the embeds sent in the same message, which share Discord's 6000-character limit. */
export function auditEmbed(report: AuditReport, guildId: string, lang: Language, alongside: readonly APIEmbed[] = []): EmbedBuilder {
  // `<@&guild id>` would render as "@@everyone".
  const role = (id: string) => (id === guildId ? '@everyone' : `<@&${id}>`);
  const channel = (id: string) => `<#${id}>`;
  const roleList = (ids: readonly string[]) =>
    ids.length > ROLE_LIST_MAX ? `${ids.slice(0, ROLE_LIST_MAX).map(role).join(', ')} … (+${ids.length - ROLE_LIST_MAX})` : ids.map(role).join(', ');
  const overview: string[] = [];

  for (const [purpose, view] of Object.entries(report.views) as [AuditedChannel, NonNullable<AuditReport['views'][AuditedChannel]>][]) {
    const vars = { channel: channel(view.channelId) };
    if (view.everyone) overview.push(t(lang, purpose === 'support' ? 'setup.audit.viewSupport' : 'setup.audit.viewEveryone', vars));
    else if (view.roleIds.length > 0) overview.push(t(lang, 'setup.audit.viewRoles', { ...vars, roles: roleList(view.roleIds) }));
    else overview.push(t(lang, 'setup.audit.viewNobody', vars));
  }
  const support = report.views.support;
  if (support) {
    overview.push(
      report.threadReaderRoleIds.length > 0
        ? t(lang, 'setup.audit.threadReaders', { channel: channel(support.channelId), roles: roleList(report.threadReaderRoleIds) })
        : t(lang, 'setup.audit.threadReadersNone'),
    );
  }
  if (report.staffRoles.length > 0) {
    const seen = new Set<string>();
    const states = report.staffRoles
      .filter((state) => !seen.has(state.roleId) && seen.add(state.roleId))
      .map((state) => t(lang, state.mentionable ? 'setup.audit.mentionable' : 'setup.audit.notMentionable', { role: role(state.roleId) }));
    const suffix = report.botMentionsAll && report.staffRoles.some((state) => !state.mentionable) ? ` ${t(lang, 'setup.audit.botMentionsAll')}` : '';
    overview.push(`${t(lang, 'setup.audit.teamRoles', { roles: states.join(', ') })}${suffix}`);
  }

  // What to fix comes first (errors before warnings), so a long audit never cuts an error off.
  const findings: string[] = [];
  if (report.findings.length === 0) findings.push(t(lang, 'setup.audit.noFindings'));
  else {
    findings.push(t(lang, 'setup.audit.findingsHeading'));
    for (const finding of report.findings) {
      const text = t(lang, `setup.audit.findings.${finding.code}`, {
        channel: finding.channelId ? channel(finding.channelId) : '',
        purpose: finding.channel ? t(lang, PURPOSE_KEY[finding.channel]) : '',
        role: finding.roleId ? role(finding.roleId) : '',
        staffRole: finding.staffRole ? t(lang, STAFF_ROLE_KEY[finding.staffRole]) : '',
        fix: t(lang, 'setup.audit.fix'),
      });
      findings.push(`${t(lang, finding.severity === 'error' ? 'setup.audit.error' : 'setup.audit.warning')} ${text}`);
    }
  }

  const embed = new EmbedBuilder()
    .setTitle(t(lang, 'setup.audit.heading'))
    .setColor(report.findings.some((finding) => finding.severity === 'error') ? 0xd83c3e : report.findings.length > 0 ? 0xf0b232 : 0x23a55a)
    .setFooter({ text: t(lang, 'setup.audit.footer') });
  const used = alongside.reduce((sum, other) => sum + embedLength(other), embedLength(embed.data));
  return embed.setDescription(fit([...findings, '', ...overview], Math.min(DESCRIPTION_BUDGET, MESSAGE_EMBEDS_MAX - used - 20)));
}

/** Whole lines up to the budget, so a server with many roles never breaks Discord's embed limits. */
function fit(lines: string[], budget: number): string {
  const kept: string[] = [];
  let length = 0;
  for (const [index, line] of lines.entries()) {
    if (length + line.length + 1 > budget) {
      kept.push(`… (+${lines.length - index})`);
      break;
    }
    kept.push(line);
    length += line.length + 1;
  }
  return kept.join('\n');
}

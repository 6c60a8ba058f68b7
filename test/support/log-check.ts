import type { BotLogLine } from './bot-process.js';

/** pino's `info` level: the privacy rule covers this and everything above (warn, error, fatal). */
export const INFO_LEVEL = 30;

export interface MemberIdLeak {
  id: string;
  level: number;
  msg: string;
}

/**
 * Log lines at info or above that contain one of the given member ids, anywhere in the line (a
 * field, the message, an error's URL). Member ids in logs cannot be erased by `/privacy delete`,
 * so SPEC allows them only at debug. An id inside a longer run of digits does not count.
 */
export function memberIdLeaks(lines: readonly BotLogLine[], memberIds: Iterable<string>): MemberIdLeak[] {
  const ids = [...new Set(memberIds)].filter((id) => /^\d{17,20}$/.test(id));
  if (ids.length === 0) return [];
  const pattern = new RegExp(`(?<!\\d)(${ids.join('|')})(?!\\d)`);
  const leaks: MemberIdLeak[] = [];
  for (const line of lines) {
    if (typeof line.level !== 'number' || line.level < INFO_LEVEL) continue;
    const found = pattern.exec(JSON.stringify(line));
    if (found?.[1]) leaks.push({ id: found[1], level: line.level, msg: String(line.msg) });
  }
  return leaks;
}

/** Throws, listing each leak (level, message, which id), when any log line holds a member id. */
export function assertNoMemberIdsInLogs(lines: readonly BotLogLine[], memberIds: Iterable<string>): void {
  const leaks = memberIdLeaks(lines, memberIds);
  if (leaks.length === 0) return;
  throw new Error(
    `member ids in logs at info level or above (${leaks.length}):\n` +
      leaks.map((leak) => `  level ${leak.level} "${leak.msg}" holds member id ${leak.id}`).join('\n'),
  );
}

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactMemberRoutes } from '../../../src/logger.js';
import type { BotLogLine } from '../../support/bot-process.js';
import { assertNoMemberIdsInLogs, memberIdLeaks } from '../../support/log-check.js';

const MEMBER = '123456789012345678';
const OTHER = '223456789012345678';

/** Lines as the real logger writes them, parsed like the e2e harness parses the bot's stdout. */
function capture(write: (logger: ReturnType<typeof createLogger>) => void): BotLogLine[] {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger('debug', sink);
  write(logger);
  logger.flush();
  return chunks
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as BotLogLine);
}

describe('member ids in logs: the e2e check', () => {
  it('catches a seeded leak at info and above, in a field, the message or an error', () => {
    const lines = capture((logger) => {
      logger.info({ guildId: '999999999999999999' }, 'nothing personal');
      logger.info({ userId: MEMBER }, 'direct message not delivered');
      logger.warn(`could not reach <@${OTHER}>`);
      logger.debug({ userId: MEMBER }, 'debug may name a member');
    });
    expect(memberIdLeaks(lines, [MEMBER, OTHER])).toEqual([
      { id: MEMBER, level: 30, msg: 'direct message not delivered' },
      { id: OTHER, level: 40, msg: `could not reach <@${OTHER}>` },
    ]);
    expect(() => assertNoMemberIdsInLogs(lines, [MEMBER, OTHER])).toThrow(/level 30 "direct message not delivered" holds member id 1234/);
  });

  it('passes clean logs, ignores debug lines and ids inside longer numbers', () => {
    const lines = capture((logger) => {
      logger.debug({ userId: MEMBER }, 'debug only');
      logger.info({ messageId: `9${MEMBER}` }, 'a longer snowflake-like number');
    });
    expect(memberIdLeaks(lines, [MEMBER])).toEqual([]);
    expect(() => assertNoMemberIdsInLogs(lines, [MEMBER])).not.toThrow();
  });

  it('the logger strips member ids from Discord error URLs', () => {
    const error = Object.assign(new Error(`Unknown Member at /channels/1/thread-members/${MEMBER}`), {
      url: `https://discord.com/api/v10/channels/111111111111111111/thread-members/${MEMBER}`,
      requestBody: { json: { recipient_id: OTHER } },
    });
    const lines = capture((logger) => logger.warn({ err: error }, 'could not add a member to a support thread'));
    expect(memberIdLeaks(lines, [MEMBER, OTHER])).toEqual([]);
    expect(JSON.stringify(lines)).toContain('/thread-members/{id}');
    expect(redactMemberRoutes(`/guilds/1/members/${MEMBER}`)).toBe('/guilds/1/members/{id}');
  });
});

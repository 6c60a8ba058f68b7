import { GatewayCloseCodes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { startHarness, type Harness } from '../support/harness.js';

/**
 * Discord closes the gateway with 4004 when the token was reset and with 4010–4014 for shard,
 * version and intent errors, and documents them as "do not reconnect". discord.js gives up on
 * them; the bot must then end, not live on deaf.
 */
describe('gateway closes discord.js will not recover from, end to end', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ configure: false });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('rides out a recoverable close (4000): it resumes and stays up', async () => {
    const { bot, standIn } = harness;
    const [before] = standIn.gateway.sessionInfos;
    expect(before?.connected).toBe(true);
    standIn.gateway.disconnect(GatewayCloseCodes.UnknownError, 'Unknown error.');
    // The stand-in dispatches RESUMED (one more sequence number) once the bot has resumed the session.
    await eventually(() => {
      const session = standIn.gateway.sessionInfos.find((info) => info.id === before!.id);
      return session?.connected && session.seq > before!.seq;
    }, 'the bot to resume its session');
    expect(bot.child.exitCode).toBeNull();
    expect(bot.lines.filter((line) => line.level >= 60)).toEqual([]);
  });

  it.each([
    [GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).', 'DisallowedIntents'],
    [GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.', 'AuthenticationFailed'],
  ] as const)('exits non-zero with one clear fatal line on %i', async (code, reason, name) => {
    const bot = harness.bot.child.exitCode === null ? harness.bot : await harness.restart();
    // As on Discord after a token reset or an intent change: the connection drops, and the resume or
    // identify that follows is closed with the code.
    harness.standIn.gateway.refuseSessions(code, reason);
    harness.standIn.gateway.disconnect(GatewayCloseCodes.UnknownError, 'Unknown error.');
    const exit = await bot.exited;
    harness.standIn.gateway.refuseSessions(null);
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    const fatal = bot.lines.filter((line) => line.level >= 60);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ code });
    expect(fatal[0]!.msg).toContain(`gateway closed with ${code} (${name})`);
    expect(fatal[0]!.msg).toContain('exiting');
  });
});

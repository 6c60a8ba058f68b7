import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// Switching DISCORD_GUILD_ID on and off must not leave every command registered twice.
describe('switching command registration scope', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ configure: false });
  });
  afterAll(() => harness.stop());

  it('guild → global removes the guild commands, and global → guild removes the global ones', async () => {
    const { standIn, community } = harness;
    const count = standIn.guildCommands(community.guildId).length;
    expect(count).toBeGreaterThan(0);
    expect(standIn.globalCommands()).toHaveLength(0);

    await harness.restart({ guildId: '' });
    expect(standIn.globalCommands()).toHaveLength(count);
    expect(standIn.guildCommands(community.guildId)).toHaveLength(0);
    // What a member of the server sees: each command once.
    expect(standIn.registeredCommands(community.guildId)).toHaveLength(count);

    await harness.restart({ guildId: community.guildId });
    expect(standIn.guildCommands(community.guildId)).toHaveLength(count);
    expect(standIn.globalCommands()).toHaveLength(0);
    expect(standIn.registeredCommands(community.guildId)).toHaveLength(count);

    // A further unchanged restart makes no registration call at all.
    const calls = standIn.registrationCalls.length;
    await harness.restart();
    expect(standIn.registrationCalls).toHaveLength(calls);
    expect(harness.bot.errors()).toEqual([]);
  });
});

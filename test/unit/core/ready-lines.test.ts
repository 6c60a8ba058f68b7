import { describe, expect, it } from 'vitest';
import { inviteUrl, readyConsoleLines, setupInviteUrl } from '../../../src/discord/client.js';

const APP = '123456789012345678';

describe('readyConsoleLines', () => {
  it('prints the invite and the one-step setup invite as bare, clickable lines on a terminal', () => {
    const lines = readyConsoleLines(APP, true);
    expect(lines).toEqual([`Invite the bot: ${inviteUrl(APP)}`, expect.stringContaining(setupInviteUrl(APP))]);
    expect(lines[1]).toMatch(/^One-step setup invite/);
    // A URL at the end of a line with no quotes or JSON around it, so terminals link it whole.
    for (const line of lines) expect(line).toMatch(/ https:\/\/discord\.com\/oauth2\/authorize\?\S+$/);
  });

  it('prints nothing when stdout is not a terminal (the JSON ready line is enough)', () => {
    expect(readyConsoleLines(APP, false)).toEqual([]);
  });
});

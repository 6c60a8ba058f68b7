import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';

const TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAw.GtEst1.stand-in-token-for-end-to-end-tests';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ DISCORD_TOKEN: TOKEN }, false);
    expect(config).toMatchObject({
      DISCORD_API_URL: 'https://discord.com/api',
      DATABASE_PATH: './data/bot.sqlite',
      LOG_LEVEL: 'info',
      FEEDS_ALLOW_PRIVATE_HOSTS: false,
      GUIDE_REVIEW_MAX_AGE_DAYS: 180,
    });
    expect(loadConfig({ DISCORD_TOKEN: TOKEN, GUIDE_REVIEW_MAX_AGE_DAYS: '90' }, false).GUIDE_REVIEW_MAX_AGE_DAYS).toBe(90);
    expect(config.DISCORD_GUILD_ID).toBeUndefined();
  });

  it('treats empty values as unset and trims a trailing slash from the API URL', () => {
    const config = loadConfig(
      { DISCORD_TOKEN: TOKEN, DISCORD_GUILD_ID: '', DISCORD_API_URL: 'http://127.0.0.1:9999/api/', LOG_LEVEL: '' },
      false,
    );
    expect(config.DISCORD_GUILD_ID).toBeUndefined();
    expect(config.DISCORD_API_URL).toBe('http://127.0.0.1:9999/api');
    expect(config.LOG_LEVEL).toBe('info');
  });

  it.each([
    [{}, /^Configuration error: DISCORD_TOKEN is required.*Getting a bot token/],
    [{ DISCORD_TOKEN: 'not a token' }, /^Configuration error: DISCORD_TOKEN does not look like a Discord bot token/],
    [{ DISCORD_TOKEN: TOKEN, DISCORD_GUILD_ID: 'general' }, /^Configuration error: DISCORD_GUILD_ID must be a server id/],
    [{ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: 'ftp://example.org' }, /^Configuration error: DISCORD_API_URL must be an http\(s\) URL/],
    [{ DISCORD_TOKEN: TOKEN, LOG_LEVEL: 'loud' }, /^Configuration error: LOG_LEVEL must be one of/],
    [{ DISCORD_TOKEN: TOKEN, GUIDE_REVIEW_MAX_AGE_DAYS: 'six months' }, /^Configuration error: GUIDE_REVIEW_MAX_AGE_DAYS must be a whole number of days/],
    [{ DISCORD_TOKEN: TOKEN, GUIDE_REVIEW_MAX_AGE_DAYS: '-1' }, /^Configuration error: GUIDE_REVIEW_MAX_AGE_DAYS must be 0 or more/],
  ])('refuses %j with one line naming the variable', (env, message) => {
    let error: unknown;
    try {
      loadConfig(env, false);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('never echoes the token in an error', () => {
    const secret = 'x'.repeat(30) + ' leaked';
    expect(() => loadConfig({ DISCORD_TOKEN: secret }, false)).toThrow(ConfigError);
    try {
      loadConfig({ DISCORD_TOKEN: secret }, false);
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { CUSTOM_ID_MAX_LENGTH, decodeCustomId, encodeCustomId } from '../../../src/discord/custom-id.js';

describe('custom id codec', () => {
  it('round-trips arguments, including separators', () => {
    const id = encodeCustomId('guide', 'page', 'asylum-eu-first-steps', 'es', 2, 'a:b');
    expect(decodeCustomId(id)).toEqual({ namespace: 'guide', verb: 'page', args: ['asylum-eu-first-steps', 'es', '2', 'a:b'] });
  });

  it('refuses ids over Discord’s 100-character limit', () => {
    expect(() => encodeCustomId('guide', 'page', 'x'.repeat(CUSTOM_ID_MAX_LENGTH))).toThrow(/over 100/);
  });

  it('ignores ids of another version or shape', () => {
    expect(decodeCustomId('v0:guide:page')).toBeUndefined();
    expect(decodeCustomId('random')).toBeUndefined();
    expect(decodeCustomId('v1:guide')).toBeUndefined();
    expect(decodeCustomId('v1:guide:page:%E0%A4%A')).toBeUndefined();
  });
});

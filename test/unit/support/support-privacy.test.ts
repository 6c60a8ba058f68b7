import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/client.js';
import { supportAudit, supportBlocks, supportRequests, supportThreadDeletions } from '../../../src/db/schema/index.js';
import { GuildSettingsService } from '../../../src/domain/guild-settings.js';
import { SupportPrivacy, SupportService, type Actor } from '../../../src/domain/support/index.js';
import { closeDatabase, createTestDb, FakeClock } from '../../support/test-db.js';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const maria: Actor = { userId: '200000000000000001', staff: false };
const omar: Actor = { userId: '200000000000000002', staff: false };
const sam: Actor = { userId: '300000000000000001', staff: true, moderator: true };
const sofia: Actor = { userId: '300000000000000002', staff: true };

describe('SupportPrivacy', () => {
  let db: Db;
  let clock: FakeClock;
  let support: SupportService;
  let privacy: SupportPrivacy;
  let thread = 0;

  const open = (actor: Actor, guildId = GUILD, urgent = false) => {
    const reserved = support.reserve(guildId, actor.userId, { topic: 'visa', language: 'es', urgent });
    thread += 1;
    return support.attachThread(reserved.id, `9000000000000000${thread}`, null);
  };
  /** Every stored value, to check an id is gone from every column of every support table. */
  const everything = () =>
    JSON.stringify([db.select().from(supportRequests).all(), db.select().from(supportAudit).all(), db.select().from(supportBlocks).all()]);

  beforeEach(() => {
    db = createTestDb();
    clock = new FakeClock();
    support = new SupportService(db, clock, new GuildSettingsService(db, clock));
    privacy = new SupportPrivacy(db, clock);
  });
  afterEach(() => closeDatabase(db));

  it('describes a member’s requests and block, localized, and nothing for a stranger', () => {
    const first = open(maria, GUILD, true);
    support.close(GUILD, first.id, maria);
    open(maria);
    support.block(GUILD, sam, omar, 5);
    const items = privacy.describe(GUILD, maria.userId, 'en');
    expect(items).toHaveLength(1);
    expect(items[0]!.category).toBe('Support requests');
    expect(items[0]!.lines).toEqual([
      expect.stringMatching(/^#0001 · Visa and relocation · Spanish · Closed · urgent · opened <t:\d+:D>$/),
      expect.stringMatching(/^#0002 · Visa and relocation · Spanish · Open · opened <t:\d+:D>$/),
    ]);
    expect(privacy.describe(GUILD, omar.userId, 'es')).toEqual([
      { category: 'Bloqueo de solicitudes', lines: [expect.stringContaining('No puedes abrir solicitudes')] },
    ]);
    expect(privacy.describe(GUILD, sam.userId, 'en')).toEqual([
      { category: 'Support team activity', lines: [expect.stringContaining('Actions recorded by you: 1.'), 'Blocks you made that are still stored: 1.'] },
    ]);
    expect(privacy.describe(OTHER_GUILD, maria.userId, 'en')).toEqual([]);
  });

  it('erases a member: their requests and audit go, their threads are queued, their block stays until it expires', () => {
    const mine = open(maria);
    support.claim(GUILD, mine.id, sam);
    const theirs = open(omar);
    support.block(GUILD, sam, maria, 5);
    open(maria, OTHER_GUILD);
    const changed = privacy.erase(GUILD, maria.userId);
    expect(changed).toBeGreaterThanOrEqual(3);
    const rows = db.select().from(supportRequests).all();
    expect(rows.map((row) => [row.guildId, row.requesterId])).toEqual([
      [GUILD, omar.userId],
      [OTHER_GUILD, maria.userId],
    ]);
    expect(db.select().from(supportAudit).all().some((entry) => entry.requestId === mine.id)).toBe(false);
    // The block holds (only guild, member and dates; not who set it) and is still shown and enforced.
    expect(db.select().from(supportBlocks).all()).toEqual([
      { guildId: GUILD, userId: maria.userId, blockedBy: null, createdAt: expect.any(Number), expiresAt: expect.any(Number) },
    ]);
    expect(support.checkCanOpen(GUILD, maria.userId).kind).toBe('blocked');
    expect(privacy.activeBlockUntil(GUILD, maria.userId)).toBe(clock.now() + 5 * 24 * 60 * 60_000);
    expect(privacy.describe(GUILD, maria.userId, 'en')).toEqual([
      { category: 'Support block', lines: [expect.stringContaining('You cannot open support requests until')] },
      { category: 'Support request limit', lines: [expect.stringContaining('still count toward the limit of 3 a day: 1')] },
    ]);
    // Her thread is queued for deletion by guild and thread id, nothing that names her.
    expect(db.select().from(supportThreadDeletions).all()).toEqual([{ guildId: GUILD, threadId: mine.threadId }]);
    expect(support.get(GUILD, theirs.id).status).toBe('open');
    // Once the block expires, purge removes it and nothing about her is left.
    clock.advance(6 * 24 * 60 * 60_000);
    support.purge();
    expect(privacy.describe(GUILD, maria.userId, 'en')).toEqual([]);
    expect(JSON.stringify(db.select().from(supportBlocks).all())).not.toContain(maria.userId);
  });

  it('erasing data does not reset the rate limit: only the times of recent requests stay, for the window', () => {
    for (let n = 0; n < 3; n += 1) {
      const request = open(omar);
      support.close(GUILD, request.id, omar);
    }
    expect(support.checkCanOpen(GUILD, omar.userId).kind).toBe('rateLimited');
    privacy.erase(GUILD, omar.userId);
    expect(db.select().from(supportRequests).all()).toEqual([]);
    expect(support.checkCanOpen(GUILD, omar.userId).kind).toBe('rateLimited');
    expect(privacy.describe(GUILD, omar.userId, 'es')).toEqual([
      { category: 'Límite de solicitudes', lines: [expect.stringContaining('aún cuentan para el límite de 3 al día: 3')] },
    ]);
    clock.advance(24 * 60 * 60_000 + 1);
    expect(support.checkCanOpen(GUILD, omar.userId).kind).toBe('ok');
    support.purge();
    expect(privacy.describe(GUILD, omar.userId, 'en')).toEqual([]);
  });

  it('anonymises a staff member’s audit entries, assignments and blocks made', () => {
    const request = open(maria);
    support.join(GUILD, request.id, sofia);
    support.assign(GUILD, request.id, sam, { userId: sofia.userId, staff: true });
    support.block(GUILD, sam, omar, 5);
    expect(everything()).toContain(sofia.userId);
    expect(everything()).toContain(sam.userId);
    privacy.erase(GUILD, sofia.userId);
    privacy.erase(GUILD, sam.userId);
    expect(everything()).not.toContain(sofia.userId);
    expect(everything()).not.toContain(sam.userId);
    // The history keeps what happened, without who.
    expect(support.auditTrail(GUILD, request.id).map((entry) => [entry.action, entry.actorId])).toEqual([
      ['opened', maria.userId],
      ['joined', null],
      ['assigned', null],
    ]);
    expect(support.get(GUILD, request.id).assigneeId).toBeNull();
    // Omar's block still holds.
    expect(support.checkCanOpen(GUILD, omar.userId).kind).toBe('blocked');
  });
});

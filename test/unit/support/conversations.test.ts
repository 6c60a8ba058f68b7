import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/client.js';
import { supportAudit, supportRequests, supportThreadDeletions } from '../../../src/db/schema/index.js';
import { DomainError } from '../../../src/domain/errors.js';
import { GuildSettingsService, validateSecureContact } from '../../../src/domain/guild-settings.js';
import { ConversationService, SupportService, type Actor } from '../../../src/domain/support/index.js';
import { closeDatabase, createTestDb, FakeClock } from '../../support/test-db.js';

const GUILD = '100000000000000001';
const maria: Actor = { userId: '200000000000000001', staff: false };
const omar: Actor = { userId: '200000000000000002', staff: false };
const supporter: Actor = { userId: '300000000000000001', staff: true };
const moderator: Actor = { userId: '300000000000000002', staff: true, moderator: true };

const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return 'no error';
};

describe('ConversationService', () => {
  let db: Db;
  let clock: FakeClock;
  let support: SupportService;
  let conversations: ConversationService;
  let thread = 0;

  const open = (actor: Actor) => {
    const reserved = support.reserve(GUILD, actor.userId, { topic: 'visa', language: 'en', urgent: false });
    thread += 1;
    return support.attachThread(reserved.id, `9000000000000000${thread}`, `8000000000000000${thread}`);
  };

  beforeEach(() => {
    db = createTestDb();
    clock = new FakeClock();
    support = new SupportService(db, clock, new GuildSettingsService(db, clock));
    conversations = new ConversationService(db, clock);
  });
  afterEach(() => closeDatabase(db));

  it('lists a member’s threads, open and closed, and queues them by guild and thread id only', () => {
    const first = open(maria);
    support.close(GUILD, first.id, maria);
    const second = open(maria);
    open(omar);
    expect(conversations.memberThreads(GUILD, maria.userId)).toEqual([first.threadId, second.threadId]);
    conversations.queue(GUILD, conversations.memberThreads(GUILD, maria.userId));
    conversations.queue(GUILD, [first.threadId!]);
    expect(conversations.pending()).toEqual([
      { threadId: first.threadId, guildId: GUILD },
      { threadId: second.threadId, guildId: GUILD },
    ]);
    expect(JSON.stringify(db.select().from(supportThreadDeletions).all())).not.toContain(maria.userId);
    expect(conversations.isQueued(first.threadId!)).toBe(true);
    conversations.done([first.threadId!]);
    expect(conversations.isQueued(first.threadId!)).toBe(false);
    expect(conversations.pending()).toHaveLength(1);
  });

  it('"Delete this conversation": requester or moderator, closed requests only; the metadata stays without its thread', () => {
    const request = open(maria);
    expect(codeOf(() => conversations.forget(GUILD, request.id, maria))).toBe('support.conversation.errors.notClosed');
    support.close(GUILD, request.id, maria);
    expect(codeOf(() => conversations.forget(GUILD, request.id, omar))).toBe('support.conversation.errors.notAllowed');
    expect(codeOf(() => conversations.forget(GUILD, request.id, supporter))).toBe('support.conversation.errors.notAllowed');
    expect(conversations.pending()).toEqual([]);
    const { threadId, request: after } = conversations.forget(GUILD, request.id, maria);
    expect(threadId).toBe(request.threadId);
    expect(after).toMatchObject({ status: 'closed', threadId: null, intakeMessageId: null });
    expect(conversations.pending()).toEqual([{ threadId, guildId: GUILD }]);
    expect(support.auditTrail(GUILD, request.id).at(-1)).toMatchObject({ action: 'conversationDeleted', actorId: maria.userId });
    expect(codeOf(() => conversations.forget(GUILD, request.id, moderator))).toBe('support.conversation.errors.alreadyDeleted');
    // Nothing to reopen any more.
    expect(codeOf(() => support.reopen(GUILD, request.id, moderator))).toBe('support.conversation.errors.cannotReopen');

    const other = open(omar);
    support.close(GUILD, other.id, supporter);
    expect(conversations.forget(GUILD, other.id, moderator).threadId).toBe(other.threadId);
    expect(db.select().from(supportRequests).all()).toHaveLength(2);
    expect(db.select().from(supportAudit).all().filter((entry) => entry.action === 'conversationDeleted')).toHaveLength(2);
  });
});

describe('validateSecureContact', () => {
  it('accepts one line of text and plain https links', () => {
    expect(validateSecureContact('  Signal: +1 555 0100  ')).toBe('Signal: +1 555 0100');
    expect(validateSecureContact('https://forms.example.org/secure')).toBe('https://forms.example.org/secure');
    expect(validateSecureContact('Signal +34 600 000 000 · formulario: https://cifrado.example.es/f')).toContain('https://cifrado.example.es/f');
  });

  it.each([
    ['', 'setup.secureContact.errors.empty'],
    ['x'.repeat(201), 'setup.secureContact.errors.tooLong'],
    ['line one\nline two', 'setup.secureContact.errors.characters'],
    ['Signal\u202e 0010 555 1+', 'setup.secureContact.errors.characters'],
    ['zero\u200bwidth', 'setup.secureContact.errors.characters'],
    ['ask @everyone', 'setup.secureContact.errors.mention'],
    ['@here please', 'setup.secureContact.errors.mention'],
    ['<@&123456789012345678> role', 'setup.secureContact.errors.mention'],
    ['<@123456789012345678>', 'setup.secureContact.errors.mention'],
    ['[Signal](https://evil.example/x)', 'setup.secureContact.errors.maskedLink'],
    ['http://form.example/x', 'setup.secureContact.errors.notHttps'],
    ['https://user:pass@form.example/x', 'setup.secureContact.errors.notHttps'],
    ['javascript:alert(1)', 'setup.secureContact.errors.notHttps'],
    ['ftp://files.example/x', 'setup.secureContact.errors.notHttps'],
  ])('refuses %j', (input, code) => {
    expect(codeOf(() => validateSecureContact(input))).toBe(code);
  });

  it('is stored, shown by get() and cleared', () => {
    const db = createTestDb();
    const settings = new GuildSettingsService(db, new FakeClock());
    expect(settings.get(GUILD).secureContact).toBeNull();
    expect(codeOf(() => settings.setSecureContact(GUILD, '@everyone'))).toBe('setup.secureContact.errors.mention');
    expect(settings.get(GUILD).secureContact).toBeNull();
    expect(settings.setSecureContact(GUILD, 'Signal: +1 555 0100').secureContact).toBe('Signal: +1 555 0100');
    expect(settings.setSecureContact(GUILD, null).secureContact).toBeNull();
    expect(settings.get(GUILD).retentionConversations).toBe('delete');
    expect(settings.setRetentionConversations(GUILD, 'keep').retentionConversations).toBe('keep');
    closeDatabase(db);
  });
});

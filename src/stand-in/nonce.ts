import type { StandInContext } from './context.js';
import type { StoredMessage } from './state.js';
import type { JsonObject } from './validation.js';

/** Discord checks an enforced nonce against the author's messages of "the past few minutes". */
export const ENFORCED_NONCE_WINDOW_MS = 5 * 60_000;

/**
 * Discord's `enforce_nonce` on POST /channels/{id}/messages: when the body has a `nonce` and
 * `enforce_nonce: true`, and the same author created a message with that nonce within the window,
 * Discord returns that message and creates nothing. Returns the earlier message, if any.
 */
export function messageForEnforcedNonce(ctx: StandInContext, authorId: string, body: JsonObject): StoredMessage | undefined {
  if (body.enforce_nonce !== true) return undefined;
  const nonce = body.nonce;
  if (typeof nonce !== 'string' && typeof nonce !== 'number') return undefined;
  const since = Date.now() - ENFORCED_NONCE_WINDOW_MS;
  for (const stored of ctx.state.messages.values()) {
    const message = stored.message;
    if (stored.deleted || message.author.id !== authorId || String(message.nonce ?? '') !== String(nonce)) continue;
    if (Date.parse(message.timestamp) >= since) return stored;
  }
  return undefined;
}

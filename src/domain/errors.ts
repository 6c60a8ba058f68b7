import type { MessageVars } from '../i18n/index.js';

/**
 * An expected failure the user can act on. `code` is the i18n key of the message shown to them,
 * so the domain never formats text and every refusal is localized.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly params: MessageVars = {},
  ) {
    super(code);
    this.name = 'DomainError';
  }
}

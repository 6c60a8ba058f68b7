/**
 * Custom ids survive restarts, so durable workflows route by id instead of short-lived collectors.
 * Format: `v1:<namespace>:<verb>[:<arg>…]`; args are URI-encoded so they may contain ':'.
 * Discord caps custom ids at 100 characters; encoding refuses anything longer.
 */
const VERSION = 'v1';
export const CUSTOM_ID_MAX_LENGTH = 100;

export interface DecodedCustomId {
  namespace: string;
  verb: string;
  args: string[];
}

export function encodeCustomId(namespace: string, verb: string, ...args: (string | number)[]): string {
  const id = [VERSION, namespace, verb, ...args.map((arg) => encodeURIComponent(String(arg)))].join(':');
  if (id.length > CUSTOM_ID_MAX_LENGTH) {
    throw new Error(`custom id over ${CUSTOM_ID_MAX_LENGTH} characters: ${id.slice(0, 40)}…`);
  }
  return id;
}

/** Returns undefined for ids of another version or shape (e.g. a button from an older release). */
export function decodeCustomId(customId: string): DecodedCustomId | undefined {
  const [version, namespace, verb, ...args] = customId.split(':');
  if (version !== VERSION || !namespace || !verb) return undefined;
  try {
    return { namespace, verb, args: args.map((arg) => decodeURIComponent(arg)) };
  } catch {
    return undefined;
  }
}

/**
 * Application command ids by command name, learnt from Discord when the bot registers (or, when
 * registration is skipped, lists) its commands. With an id, `{cmd:…}` in a locale string becomes a
 * command mention, which Discord shows in the reader's own client language and makes clickable.
 */
const ids = new Map<string, string>();

export function setCommandIds(entries: Iterable<readonly [name: string, id: string]>): void {
  ids.clear();
  for (const [name, id] of entries) ids.set(name, id);
}

export function commandId(name: string): string | undefined {
  return ids.get(name);
}

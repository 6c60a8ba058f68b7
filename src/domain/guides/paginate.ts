/**
 * Splits a guide body into pages that fit in an embed. Pages break at `## ` headings first
 * (several short sections share a page up to `target` characters), a section too long for a page
 * breaks between paragraphs, then lines, sentences and words, and as a last resort anywhere.
 */

export interface GuidePage {
  text: string;
  /** Index of the `## ` sections this page covers (0 is the text before the first heading). */
  firstSection: number;
  lastSection: number;
}

export interface PageSize {
  /** Sections are packed onto one page while it stays within this many characters. */
  target: number;
  /** No page is ever longer than this (Discord's limit minus what the embed needs). */
  max: number;
}

/** Discord ends a Markdown link at the first ")", so parentheses inside a URL are percent-encoded. */
export function encodeLinkUrl(url: string): string {
  return url.replace(/\(/g, '%28').replace(/\)/g, '%29');
}

// `[text](url)` where the URL may hold balanced parentheses, as in the EPRS briefing addresses.
const INLINE_LINK = /\[([^\]\n]*)\]\((https?:\/\/(?:[^()\s]|\([^()\s]*\))+)\)/g;

/** Every inline link of a Markdown text, with parentheses in its URL encoded so Discord keeps it whole. */
export function encodeInlineLinks(markdown: string): string {
  return markdown.replace(INLINE_LINK, (_match, text: string, url: string) => `[${text}](${encodeLinkUrl(url)})`);
}

/**
 * Discord shows "# heading" in embeds inconsistently across clients; bold reads the same everywhere.
 * Inline links get their URLs made safe for Discord's Markdown.
 */
export function toEmbedMarkdown(markdown: string): string {
  // The heading text is trimmed by hand: a regex with `.+?[ \t#]*$` backtracks polynomially.
  return encodeInlineLinks(markdown.replace(/^#{1,6}[ \t]+(\S.*)$/gm, (_line, text: string) => `**${trimClosingHashes(text)}**`));
}

/** Drops trailing spaces, tabs and closing `#`s, keeping at least one character (as `.+?` did). */
function trimClosingHashes(text: string): string {
  let end = text.length;
  while (end > 1 && ' \t#'.includes(text[end - 1] ?? '')) end--;
  return text.slice(0, end);
}

/** The body's sections: the text before the first `## ` heading, then one per heading. */
export function splitSections(body: string): string[] {
  const sections: string[] = [];
  let current: string[] = [];
  for (const line of body.replace(/\r\n/g, '\n').split('\n')) {
    if (/^##[ \t]/.test(line) && current.some((text) => text.trim())) {
      sections.push(current.join('\n').trim());
      current = [];
    }
    current.push(line);
  }
  if (current.some((text) => text.trim())) sections.push(current.join('\n').trim());
  return sections.map(toEmbedMarkdown);
}

// Each separator is kept at the end of the piece before it, so joining pieces restores the text.
const BREAKS = [/(?<=\n\n)/, /(?<=\n)/, /(?<=[.!?;:] )/, /(?<= )/];

/** Cuts at `max` code units without splitting a surrogate pair (an emoji or rare character). */
function hardCut(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = max;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest) out.push(rest);
  return out;
}

/** Splits `text` into chunks of at most `max` characters, at the most natural break available. */
export function splitText(text: string, max: number, level = 0): string[] {
  if (max < 1) throw new Error('page size must be positive');
  if (text.trim().length <= max) return text.trim() ? [text.trim()] : [];
  const breaker = BREAKS[level];
  if (!breaker) return hardCut(text.trim(), max);
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim()) chunks.push(current.trim());
    current = '';
  };
  for (const piece of text.split(breaker)) {
    if ((current + piece).trim().length <= max) {
      current += piece;
      continue;
    }
    flush();
    if (piece.trim().length <= max) current = piece;
    else chunks.push(...splitText(piece, max, level + 1));
  }
  flush();
  return chunks;
}

export function paginate(body: string, size: PageSize): GuidePage[] {
  const target = Math.min(size.target, size.max);
  const pages: GuidePage[] = [];
  let current: GuidePage | undefined;
  const flush = () => {
    if (current) pages.push(current);
    current = undefined;
  };
  splitSections(body).forEach((section, index) => {
    if (section.length > size.max) {
      flush();
      for (const chunk of splitText(section, target)) pages.push({ text: chunk, firstSection: index, lastSection: index });
      return;
    }
    if (current && current.text.length + 2 + section.length <= target) {
      current.text += `\n\n${section}`;
      current.lastSection = index;
      return;
    }
    flush();
    current = { text: section, firstSection: index, lastSection: index };
  });
  flush();
  return pages;
}

/**
 * The page of `to` that shows what page `index` of `from` shows: the same section when both
 * versions have it (translations keep the headings), else the same relative position.
 */
export function mapPage(from: readonly GuidePage[], index: number, to: readonly GuidePage[]): number {
  if (to.length === 0) return 0;
  const page = from[Math.min(Math.max(index, 0), from.length - 1)];
  if (!page) return 0;
  const same = to.findIndex((candidate) => candidate.firstSection <= page.firstSection && page.firstSection <= candidate.lastSection);
  if (same >= 0) return same;
  if (from.length <= 1) return 0;
  return Math.min(to.length - 1, Math.round((index * (to.length - 1)) / (from.length - 1)));
}

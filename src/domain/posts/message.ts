/**
 * A post as plain data: what the outbox stores and the Discord publisher sends. The domain builds
 * it without discord.js; limits are enforced here so a stored payload is always sendable.
 */
import { decodeHTML } from 'entities';

export interface PostEmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

export interface PostEmbed {
  title?: string;
  url?: string;
  description?: string;
  color?: number;
  fields?: PostEmbedField[];
  footer?: string;
}

export type PostButton =
  | { kind: 'link'; label: string; url: string }
  | {
      kind: 'action';
      label: string;
      style: 'primary' | 'secondary' | 'success' | 'danger';
      /** Routed like any component: namespace is the command module's name. */
      namespace: string;
      verb: string;
      args: (string | number)[];
    };

export interface PostMessage {
  content?: string;
  embeds?: PostEmbed[];
  /** Rows of buttons (≤ 5 rows, ≤ 5 buttons each). */
  buttons?: PostButton[][];
  /** Role ids this post may ping; mentions are off otherwise. */
  pingRoles?: string[];
}

export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  embedTotal: 6000,
  embedsPerMessage: 10,
  buttonLabel: 80,
  url: 512,
} as const;

export const COLORS = { advocacy: 0xc0392b, update: 0x2e86c1, feed: 0x16a085, digest: 0x5d6d7e, review: 0xf39c12, notice: 0x7f8c8d } as const;

export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

function embedLength(embed: PostEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

/** Clips every part of an embed to Discord's limits, shortening the description if the total is over. */
export function fitEmbed(embed: PostEmbed): PostEmbed {
  const fitted: PostEmbed = { ...embed };
  if (fitted.title !== undefined) fitted.title = clip(fitted.title, LIMITS.embedTitle);
  if (fitted.description !== undefined) fitted.description = clip(fitted.description, LIMITS.embedDescription);
  if (fitted.footer !== undefined) fitted.footer = clip(fitted.footer, LIMITS.footer);
  if (fitted.url !== undefined && fitted.url.length > LIMITS.url) delete fitted.url;
  if (fitted.fields) {
    fitted.fields = fitted.fields
      .slice(0, LIMITS.fields)
      .map((field) => ({ ...field, name: clip(field.name, LIMITS.fieldName), value: clip(field.value || '—', LIMITS.fieldValue) }));
  }
  const over = embedLength(fitted) - LIMITS.embedTotal;
  if (over > 0 && fitted.description) fitted.description = clip(fitted.description, Math.max(1, fitted.description.length - over));
  return fitted;
}

/** Applies every limit to a message; embeds beyond what one message may carry are dropped. */
export function fitMessage(message: PostMessage): PostMessage {
  const fitted: PostMessage = { ...message };
  if (fitted.content !== undefined) fitted.content = clip(fitted.content, LIMITS.content);
  if (fitted.embeds) {
    const embeds: PostEmbed[] = [];
    let total = 0;
    for (const embed of fitted.embeds.slice(0, LIMITS.embedsPerMessage).map(fitEmbed)) {
      total += embedLength(embed);
      if (total > LIMITS.embedTotal) break;
      embeds.push(embed);
    }
    fitted.embeds = embeds;
  }
  if (fitted.buttons) {
    fitted.buttons = fitted.buttons
      .slice(0, 5)
      .map((row) => row.slice(0, 5).map((button) => ({ ...button, label: clip(button.label, LIMITS.buttonLabel) })))
      .filter((row) => row.length > 0);
  }
  return fitted;
}

/**
 * Packs text blocks into embeds with descriptions under the limit, one embed per message so a
 * message stays well under the 6000-character total. A block longer than an embed is clipped.
 */
export function packBlocks(blocks: readonly string[], maxDescription = 3800): string[] {
  const pages: string[] = [];
  let current = '';
  for (const raw of blocks) {
    const block = clip(raw, maxDescription);
    const candidate = current === '' ? block : `${current}\n\n${block}`;
    if (candidate.length > maxDescription && current !== '') {
      pages.push(current);
      current = block;
    } else {
      current = candidate;
    }
  }
  if (current !== '') pages.push(current);
  return pages;
}

/** Escapes Markdown so a feed title cannot format or mask links in a post. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/([\\*_`~|[\]])/g, '\\$1')
    .replace(/^(\s*)([#>-])/gm, '$1\\$2')
    .replace(/@/g, '@\u200b');
}

/** Plain text from feed HTML: tags dropped, every HTML entity decoded (by `entities`), whitespace collapsed. */
export function plainText(html: string): string {
  const text = html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>|<\/p>|<\/li>/gi, '\n')
    .replace(/<[^>]+>/g, ' ');
  return (
    decodeHTML(text)
      // Decoded control characters (`&#7;`, NUL → U+FFFD) carry nothing a reader needs.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\v\f\u000e-\u001f\u007f\ufffd]/g, '')
      .replace(/\u00a0/g, ' ')
      .replace(/[ \t\f\v\r]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}

/**
 * A link safe to put inside Markdown `(…)` and an embed's url: http(s) only, and the characters that
 * could end the link or start another one (`()[]<>`, whitespace, backslash) percent-encoded. Null
 * for anything else.
 */
export function safeLinkUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.href.replace(/[()[\]<>\\\s]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Discord renders `<t:…>` in each reader's own time zone and language. */
export function discordTimestamp(ms: number, style: 'F' | 'f' | 'D' | 'R' | 't' = 'f'): string {
  return `<t:${Math.floor(ms / 1000)}:${style}>`;
}

/** A source as a masked link showing its site, e.g. "[apnews.com](https://apnews.com/…)". */
export function sourceLink(url: string): string {
  const safe = safeLinkUrl(url);
  if (!safe) return escapeMarkdown(url);
  return `[${escapeMarkdown(new URL(safe).hostname.replace(/^www\./, ''))}](${safe})`;
}

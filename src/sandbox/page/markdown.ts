import type { Snapshot } from './types.js';

export interface MarkdownContext {
  snapshot: Snapshot;
  openChannel(channelId: string): void;
}

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  return node;
};

function timestamp(unix: number, style: string, locale: string): string {
  const date = new Date(unix * 1000);
  const options: Record<string, Intl.DateTimeFormatOptions> = {
    t: { timeStyle: 'short' },
    T: { timeStyle: 'medium' },
    d: { dateStyle: 'short' },
    D: { dateStyle: 'long' },
    f: { dateStyle: 'long', timeStyle: 'short' },
    F: { dateStyle: 'full', timeStyle: 'short' },
  };
  if (style === 'R') {
    const seconds = Math.round((unix * 1000 - Date.now()) / 1000);
    const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    const units: [Intl.RelativeTimeFormatUnit, number][] = [['day', 86_400], ['hour', 3_600], ['minute', 60]];
    for (const [unit, size] of units) if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
    return rtf.format(seconds, 'second');
  }
  return new Intl.DateTimeFormat(locale, options[style] ?? options.f).format(date);
}

function mention(type: 'user' | 'role' | 'channel', text: string, color?: string): HTMLElement {
  const node = document.createElement('discord-mention');
  node.setAttribute('type', type);
  if (color) node.setAttribute('color', color);
  node.textContent = text;
  return node;
}

// Inline syntax Discord renders: mentions, timestamps, links, code, bold, italic, underline, strike.
const INLINE = /<@!?(\d+)>|<@&(\d+)>|<#(\d+)>|<t:(-?\d+)(?::([tTdDfFR]))?>|\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)|`([^`]+)`|\*\*(.+?)\*\*|__(.+?)__|\*(.+?)\*|_(.+?)_|~~(.+?)~~|(https?:\/\/[^\s<]+[^\s<.,:;"')\]])/s;

function inline(text: string, ctx: MarkdownContext, into: Node): void {
  let rest = text;
  while (rest.length > 0) {
    const match = INLINE.exec(rest);
    if (!match) {
      into.appendChild(document.createTextNode(rest));
      return;
    }
    if (match.index > 0) into.appendChild(document.createTextNode(rest.slice(0, match.index)));
    rest = rest.slice(match.index + match[0].length);
    const [, user, role, channel, unix, style, linkText, linkUrl, code, bold, underline, italic, italic2, strike, bare] = match;
    const { snapshot } = ctx;
    if (user) into.appendChild(mention('user', snapshot.users[user]?.name ?? 'Unknown user'));
    else if (role) {
      const found = snapshot.roles[role];
      into.appendChild(mention('role', found?.name.replace(/^@/, '') ?? 'deleted-role', found?.color ? `#${found.color.toString(16).padStart(6, '0')}` : undefined));
    } else if (channel) {
      const name = snapshot.channelNames[channel];
      const node = mention('channel', name ?? 'No access');
      if (name !== undefined) {
        node.tabIndex = 0;
        node.setAttribute('role', 'link');
        node.addEventListener('click', () => ctx.openChannel(channel));
        node.addEventListener('keydown', (event) => {
          if (event.key === 'Enter') ctx.openChannel(channel);
        });
      }
      into.appendChild(node);
    } else if (unix) {
      const node = el('time', timestamp(Number(unix), style ?? 'f', snapshot.persona.locale));
      node.className = 'md-time';
      node.dateTime = new Date(Number(unix) * 1000).toISOString();
      into.appendChild(node);
    } else if (linkText && linkUrl) {
      const link = el('a');
      link.href = linkUrl;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      inline(linkText, ctx, link);
      into.appendChild(link);
    } else if (code) into.appendChild(el('code', code));
    else if (bold) inline(bold, ctx, into.appendChild(el('strong')));
    else if (underline) inline(underline, ctx, into.appendChild(el('u')));
    else if (italic ?? italic2) inline((italic ?? italic2)!, ctx, into.appendChild(el('em')));
    else if (strike) inline(strike, ctx, into.appendChild(el('s')));
    else if (bare) {
      const link = el('a', bare);
      link.href = bare;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      into.appendChild(link);
    }
  }
}

/** Discord-flavoured markdown to DOM nodes (no HTML is ever parsed from the text). */
export function markdown(text: string, ctx: MarkdownContext): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const lines = text.split('\n');
  let list: HTMLElement | null = null;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    const bullet = /^\s*[-*•] (.*)$/.exec(line);
    const numbered = /^\s*(\d+)\. (.*)$/.exec(line);
    const quote = /^> ?(.*)$/.exec(line);
    const subtext = /^-# (.*)$/.exec(line);
    if (!bullet && !numbered) list = null;
    if (subtext) {
      const node = el('small');
      node.className = 'md-subtext';
      inline(subtext[1]!, ctx, node);
      fragment.appendChild(node);
    } else if (heading) {
      const node = el(heading[1]!.length === 1 ? 'h3' : heading[1]!.length === 2 ? 'h4' : 'h5');
      node.className = 'md-heading';
      inline(heading[2]!, ctx, node);
      fragment.appendChild(node);
    } else if (bullet || numbered) {
      const kind = bullet ? 'ul' : 'ol';
      if (!list || list.tagName.toLowerCase() !== kind) {
        list = el(kind);
        if (numbered) list.setAttribute('start', numbered[1]!);
        fragment.appendChild(list);
      }
      const item = el('li');
      inline((bullet ? bullet[1] : numbered![2])!, ctx, item);
      list.appendChild(item);
    } else if (quote) {
      const node = el('blockquote');
      inline(quote[1]!, ctx, node);
      fragment.appendChild(node);
    } else {
      const node = el('div');
      node.className = 'md-line';
      if (line.length === 0) node.appendChild(el('br'));
      else inline(line, ctx, node);
      fragment.appendChild(node);
    }
  }
  return fragment;
}

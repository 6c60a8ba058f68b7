import { createHash } from 'node:crypto';

const COLOURS = ['#5865f2', '#3ba55c', '#faa61a', '#ed4245', '#eb459e', '#747f8d', '#1abc9c', '#9b59b6'];

const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** A local avatar (a coloured disc with the first letter), so the page never asks Discord's CDN for one. */
export function avatarSvg(seed: string, name: string, bot: boolean): string {
  const hash = createHash('sha256').update(seed).digest();
  const colour = bot ? '#5865f2' : COLOURS[(hash[0] ?? 0) % COLOURS.length];
  const letter = escape([...name.trim()][0]?.toUpperCase() ?? '?');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="80" height="80" viewBox="0 0 80 80">` +
    `<circle cx="40" cy="40" r="40" fill="${colour}"/>` +
    `<text x="40" y="53" font-family="sans-serif" font-size="36" font-weight="600" fill="#fff" text-anchor="middle">${letter}</text>` +
    `</svg>`
  );
}

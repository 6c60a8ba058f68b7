import { DomainError } from '../errors.js';
import { httpsUrl } from '../guild-settings.js';

/** Trimmed text within bounds, or a localized refusal naming the field. */
export function requireText(value: string | null | undefined, field: string, max: number): string {
  const text = (value ?? '').trim();
  if (text === '') throw new DomainError('posts.errors.empty', { field });
  if (text.length > max) throw new DomainError('posts.errors.tooLong', { field, max, length: text.length });
  return text;
}

export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  const text = (value ?? '').trim();
  return text === '' ? null : requireText(text, field, max);
}

/** An https link members can open: no credentials, a real host name, at most 512 characters. */
export function requireHttpsUrl(value: string): string {
  const parsed = httpsUrl.safeParse(value);
  if (!parsed.success) throw new DomainError('errors.invalidHttpsUrl', { value: value.trim().slice(0, 100) });
  return new URL(parsed.data).href;
}

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

/**
 * A deadline as `YYYY-MM-DD`. It counts as passed once that day is over everywhere on Earth
 * (UTC−12), so members in every time zone get the whole day.
 */
export function parseDeadline(value: string, now: number): string {
  const match = ISO_DATE.exec(value.trim());
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (!match || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new DomainError('posts.errors.invalidDate', { value: value.trim().slice(0, 40) });
  }
  const iso = date.toISOString().slice(0, 10);
  if (deadlineEnd(iso) <= now) throw new DomainError('posts.errors.dateInPast', { value: iso });
  return iso;
}

/** The instant a `YYYY-MM-DD` deadline has passed everywhere (end of that day at UTC−12). */
export function deadlineEnd(iso: string): number {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day + 1, 12);
}

/** Noon UTC of a date: shown with Discord's date style, it reads as the same day almost everywhere. */
export function deadlineDisplayInstant(iso: string): number {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day, 12);
}

/** Keywords from a comma-separated option: trimmed, lowercased, accents removed, at most 20. */
export function parseKeywords(value: string | null | undefined): string[] {
  if (!value) return [];
  const words = value
    .split(',')
    .map((word) => foldText(word).trim())
    .filter((word) => word.length > 0);
  if (words.some((word) => word.length > 60) || words.length > 20) throw new DomainError('feed.errors.keywords');
  return [...new Set(words)];
}

/** Lowercase, accents removed: "Asilo" and "asílo" compare equal. */
export function foldText(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

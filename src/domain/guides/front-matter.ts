import { parseDocument } from 'yaml';

/**
 * A guide file's `---` front matter, read as YAML and nothing else. gray-matter ran `---js` front
 * matter through eval, so a guide in a translation pull request could run code at start and in CI;
 * here the block is plain data under YAML's core schema (no custom tags, no code).
 */
export class FrontMatterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrontMatterError';
  }
}

export interface FrontMatter {
  /** The YAML mapping ({} when the file has no front matter or an empty block). */
  data: Record<string, unknown>;
  /** The text after the closing `---` line (the whole file when there is no front matter). */
  content: string;
  /** The YAML text between the delimiters, '' without front matter. */
  raw: string;
}

const DELIMITER = '---';

/** Splits a file into its front-matter text and body; refuses any front-matter language other than YAML. */
export function splitFrontMatter(text: string): { raw: string; content: string; present: boolean } {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  // `----…` is a Markdown rule, not a front-matter opener (as gray-matter read it).
  if (!source.startsWith(DELIMITER) || source.startsWith(`${DELIMITER}-`)) return { raw: '', content: source, present: false };
  const lines = source.split('\n');
  const opener = (lines[0] ?? '').replace(/\r$/, '');
  const language = opener.slice(DELIMITER.length).trim();
  if (language) {
    throw new FrontMatterError(`declares the front-matter language "${language.slice(0, 40)}"; only YAML front matter ("---") is accepted`);
  }
  const close = lines.findIndex((line, index) => index > 0 && line.replace(/\r$/, '').trimEnd() === DELIMITER);
  if (close < 0) throw new FrontMatterError('is not closed by a "---" line');
  return { raw: lines.slice(1, close).join('\n'), content: lines.slice(close + 1).join('\n'), present: true };
}

/** Splits and parses; throws FrontMatterError for another language, invalid YAML or a non-mapping. */
export function parseFrontMatter(text: string): FrontMatter {
  const { raw, content } = splitFrontMatter(text);
  if (!raw.trim()) return { data: {}, content, raw };
  // Core schema: strings, numbers, booleans, null, lists and maps only (dates stay strings).
  const doc = parseDocument(raw, { schema: 'core', customTags: [], uniqueKeys: true, prettyErrors: false });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) throw new FrontMatterError(`is not valid YAML: ${problem.message.split('\n')[0]}`);
  const data: unknown = doc.toJS({ maxAliasCount: 50 });
  if (data === null || data === undefined) return { data: {}, content, raw };
  if (typeof data !== 'object' || Array.isArray(data)) throw new FrontMatterError('is not valid YAML: expected a mapping of fields');
  return { data: data as Record<string, unknown>, content, raw };
}

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkCatalogs,
  checkGuides,
  describeProblem,
  guideSourceHash,
  guideTranslationStatus,
  markTranslationReviewed,
} from '../../../src/i18n/translation-check.js';
import { GuideLibrary } from '../../../src/domain/guides/index.js';
import { projectPath } from '../../../src/paths.js';
import { guideFile, tempLocales } from './fixtures.js';

describe('UI catalog check', () => {
  it('passes identical key sets with the same placeholders', () => {
    expect(checkCatalogs({ a: { b: 'Hi {name}' } }, { a: { b: 'Hola {name}' } })).toEqual([]);
  });

  it('reports a key missing in Spanish, and one only in Spanish', () => {
    const problems = checkCatalogs({ a: { b: 'x', c: 'y' } }, { a: { b: 'x', d: 'z' } });
    expect(problems).toEqual([
      { kind: 'missing-key', file: 'locales/es.json', key: 'a.c' },
      { kind: 'missing-key', file: 'locales/en.json', key: 'a.d' },
    ]);
    expect(describeProblem(problems[0]!)).toBe('locales/es.json: missing key "a.c"');
  });

  it('reports placeholders that differ', () => {
    const problems = checkCatalogs({ greet: 'Hi {name}, page {page}' }, { greet: 'Hola {nombre}, página {page}' });
    expect(problems).toEqual([{ kind: 'placeholders', file: 'locales/es.json', key: 'greet', en: ['name', 'page'], es: ['nombre', 'page'] }]);
    expect(describeProblem(problems[0]!)).toContain('{nombre}, {page}');
  });
});

describe('UI catalog check: command names and plural forms', () => {
  const cmd = {
    support: { name: 'support', description: 'Ask for help' },
    setup: { name: 'setup', description: 'Configure', options: { show: { name: 'show', description: 'Show' } } },
  };
  const cmdEs = {
    support: { name: 'apoyo', description: 'Pide ayuda' },
    setup: { name: 'configurar', description: 'Configura', options: { show: { name: 'ver', description: 'Muestra' } } },
  };

  it('passes {cmd:…} references to commands that exist', () => {
    expect(checkCatalogs({ cmd, a: 'Use {cmd:setup show}.' }, { cmd: cmdEs, a: 'Usa {cmd:setup show}.' })).toEqual([]);
  });

  it('fails on a literal /command, in English or under its Spanish name, and says what to write', () => {
    const problems = checkCatalogs({ cmd, a: 'Use `/support` or /setup show.' }, { cmd: cmdEs, a: 'Usa /apoyo o (/configurar ver).' });
    expect(problems.map((problem) => problem.kind === 'literal-command' && [problem.file, problem.command, problem.reference])).toEqual([
      ['locales/en.json', '/support', '{cmd:support}'],
      ['locales/en.json', '/setup', '{cmd:setup}'],
      ['locales/es.json', '/apoyo', '{cmd:support}'],
      ['locales/es.json', '/configurar', '{cmd:setup}'],
    ]);
    expect(describeProblem(problems[2]!)).toContain('names /apoyo literally; write {cmd:support}');
  });

  it('does not mistake links, paths, mentions or longer words for commands', () => {
    const text = 'See https://example.org/support, docs/setup.md, </support:1>, /supported and y/o apoyo.';
    expect(checkCatalogs({ cmd, a: text }, { cmd: cmdEs, a: text })).toEqual([]);
  });

  it('fails on a reference to a command or subcommand that does not exist', () => {
    const problems = checkCatalogs({ cmd, a: 'Use {cmd:setup hide}.' }, { cmd: cmdEs, a: 'Usa {cmd:apoyo}.' });
    expect(problems).toEqual([
      { kind: 'unknown-command', file: 'locales/en.json', key: 'a', command: 'setup hide' },
      { kind: 'unknown-command', file: 'locales/es.json', key: 'a', command: 'apoyo' },
    ]);
  });

  it('fails on {count} outside plural forms, and on a plural missing a form in either language', () => {
    const problems = checkCatalogs(
      { a: '{count} tasks', b_one: '{count} task', b_other: '{count} tasks' },
      { a: '{count} tareas', b_other: '{count} tareas' },
    );
    expect(problems).toEqual([
      { kind: 'missing-key', file: 'locales/es.json', key: 'b_one' },
      { kind: 'plural-forms', file: 'locales/en.json', key: 'a', missing: ['a_one', 'a_other'] },
      { kind: 'plural-forms', file: 'locales/es.json', key: 'a', missing: ['a_one', 'a_other'] },
      { kind: 'plural-forms', file: 'locales/es.json', key: 'b', missing: ['b_one'] },
    ]);
    expect(describeProblem(problems[1]!)).toContain('needs plural forms a_one and a_other');
  });

  it('passes the real catalogs', () => {
    const read = (file: string) => JSON.parse(readFileSync(projectPath(file), 'utf8')) as Record<string, unknown>;
    expect(checkCatalogs(read('locales/en.json'), read('locales/es.json')).map(describeProblem)).toEqual([]);
  });
});

describe('guide translation check', () => {
  let locales: ReturnType<typeof tempLocales>;
  beforeEach(() => {
    locales = tempLocales();
  });
  afterEach(() => locales.cleanup());

  it('passes when every Spanish guide records the current English hash', () => {
    locales.write({ slug: 'one' });
    locales.write({ slug: 'two' });
    expect(checkGuides(locales.dir)).toEqual([]);
    expect(guideTranslationStatus(locales.dir).map((status) => status.state)).toEqual(['current', 'current']);
  });

  it('reports a literal command name in a guide body, in either language, and accepts {cmd:} references', () => {
    writeFileSync(join(locales.dir, 'en.json'), JSON.stringify({ cmd: { support: { name: 'support', description: 'Ask' } } }));
    writeFileSync(join(locales.dir, 'es.json'), JSON.stringify({ cmd: { support: { name: 'apoyo', description: 'Pedir' } } }));
    const english = locales.write({ slug: 'one', body: 'Use {cmd:support} or see https://example.org/support.' });
    expect(checkGuides(locales.dir)).toEqual([]);
    locales.writeRaw('es', 'one', english.replace('{cmd:support}', '`/apoyo`'));
    const problems = checkGuides(locales.dir).filter((problem) => problem.kind === 'literal-command');
    expect(problems).toEqual([{ kind: 'literal-command', file: locales.path('es', 'one'), key: 'body', command: '/apoyo', reference: '{cmd:support}' }]);
  });

  it('reports a missing Spanish guide', () => {
    locales.write({ slug: 'one' });
    locales.write({ slug: 'untranslated' }, false);
    const problems = checkGuides(locales.dir);
    expect(problems).toEqual([{ kind: 'missing-guide', file: locales.path('es', 'untranslated'), slug: 'untranslated' }]);
    expect(describeProblem(problems[0]!)).toMatch(/Spanish translation of guide "untranslated" is missing/);
  });

  it('reports a stale Spanish guide once the English text changes, until it is marked reviewed', () => {
    const original = locales.write({ slug: 'one', body: 'Original text.' });
    const changed = locales.writeRaw('en', 'one', original.replace('Original text.', 'Changed text.'));
    const problems = checkGuides(locales.dir);
    expect(problems).toEqual([
      { kind: 'stale-guide', file: locales.path('es', 'one'), slug: 'one', recorded: guideSourceHash(original), current: guideSourceHash(changed) },
    ]);
    expect(describeProblem(problems[0]!)).toMatch(/npm run i18n:mark-reviewed -- one/);

    // The library serves the stale translation, marked as stale.
    expect(GuideLibrary.load(locales.dir).get('one', 'es')).toMatchObject({ stale: true, fallback: false });
    expect(GuideLibrary.load(locales.dir).translationGaps()).toEqual([{ slug: 'one', state: 'stale' }]);

    const before = readFileSync(locales.path('es', 'one'), 'utf8');
    expect(markTranslationReviewed(locales.dir, 'one')).toBe(guideSourceHash(changed));
    const after = readFileSync(locales.path('es', 'one'), 'utf8');
    // Only the hash line changed.
    expect(after.split('\n').filter((line, index) => line !== before.split('\n')[index])).toEqual([`source_hash: "${guideSourceHash(changed)}"`]);
    expect(checkGuides(locales.dir)).toEqual([]);
    expect(GuideLibrary.load(locales.dir).get('one', 'es')).toMatchObject({ stale: false });
  });

  it('treats a Spanish guide without source_hash as stale, and mark-reviewed adds the line', () => {
    locales.write({ slug: 'one' }, false);
    locales.writeRaw('es', 'one', guideFile({ slug: 'one', title: 'Uno' }));
    expect(checkGuides(locales.dir)).toEqual([expect.objectContaining({ kind: 'stale-guide', slug: 'one', recorded: undefined })]);
    markTranslationReviewed(locales.dir, 'one');
    expect(checkGuides(locales.dir)).toEqual([]);
    expect(GuideLibrary.load(locales.dir).get('one', 'es')?.guide.title).toBe('Uno');
  });

  it('ignores line-ending differences when hashing', () => {
    expect(guideSourceHash('a\r\nb\r\n')).toBe(guideSourceHash('a\nb\n'));
  });

  it('reports a Spanish guide without an English original', () => {
    locales.write({ slug: 'one' });
    locales.writeRaw('es', 'orphan', guideFile({ slug: 'orphan' }));
    expect(checkGuides(locales.dir)).toEqual([{ kind: 'orphan-guide', file: locales.path('es', 'orphan'), slug: 'orphan' }]);
  });
});

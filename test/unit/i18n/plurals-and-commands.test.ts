import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { setCommandIds } from '../../../src/i18n/command-ids.js';
import { commandReference, hasMessage, pluralCategory, t, translateDynamic } from '../../../src/i18n/index.js';
import { projectPath } from '../../../src/paths.js';

afterEach(() => setCommandIds([]));

describe('plural forms', () => {
  it('picks _one for 1 and _other for 0 and many, in English and Spanish', () => {
    expect(t('en', 'task.stats.recentCount', { count: 1 })).toBe('1 task completed. Thank you, everyone!');
    expect(t('en', 'task.stats.recentCount', { count: 0 })).toBe('0 tasks completed. Thank you, everyone!');
    expect(t('en', 'task.stats.recentCount', { count: 4 })).toBe('4 tasks completed. Thank you, everyone!');
    expect(t('es', 'task.stats.recentCount', { count: 1 })).toBe('1 tarea terminada. ¡Gracias a todas las personas que ayudan!');
    expect(t('es', 'task.stats.recentCount', { count: 0 })).toBe('0 tareas terminadas. ¡Gracias a todas las personas que ayudan!');
    expect(t('es', 'triage.queue.footer', { page: 1, pages: 1, count: 1 })).toBe('Página 1 de 1 · 1 solicitud');
    expect(t('es', 'triage.queue.footer', { page: 1, pages: 2, count: 12 })).toBe('Página 1 de 2 · 12 solicitudes');
    expect(t('en', 'triage.queue.footer', { page: 1, pages: 1, count: 1 })).toBe('Page 1 of 1 · 1 request');
  });

  it('uses _other for Spanish "many" (a million), which the catalogs do not spell out', () => {
    expect(pluralCategory('es', 1_000_000)).toBe('many');
    expect(t('es', 'task.stats.recentCount', { count: 1_000_000 })).toMatch(/^1000000 tareas terminadas/);
  });

  it('accepts a numeric string count, and falls back to _other for one that is not a number', () => {
    expect(t('en', 'schedule.ran', { id: 3, count: '1', channel: '#news' })).toBe('Schedule #3 ran now: 1 post on its way to #news.');
    expect(t('en', 'schedule.ran', { id: 3, count: 'some', channel: '#news' })).toBe('Schedule #3 ran now: some posts on their way to #news.');
  });

  it('finds a domain error whose message exists only as plural forms (the router checks this)', () => {
    expect(hasMessage('task.errors.claimLimit')).toBe(true);
    expect(translateDynamic('es', 'task.errors.claimLimit', { count: 1 })).toMatch(/^Ya tienes 1 tarea, /);
    expect(translateDynamic('en', 'task.errors.claimLimit', { count: 3 })).toMatch(/^You already hold 3 tasks, /);
    expect(hasMessage('task.errors.noSuchKey')).toBe(false);
  });

  it('leaves no "(s)" or "(es)" plural shortcuts in the catalogs', () => {
    for (const file of ['locales/en.json', 'locales/es.json']) {
      const text = readFileSync(projectPath(file), 'utf8').replace(/http\(s\)/g, '');
      expect(text, file).not.toMatch(/\w\((s|es)\)|vez\/veces/);
    }
  });
});

describe('command references', () => {
  it('become command mentions once the ids are known, whatever the language', () => {
    setCommandIds([
      ['task', '111'],
      ['support', '222'],
    ]);
    expect(t('es', 'support.thread.howToReopen')).toContain('</support:222>');
    expect(t('en', 'support.thread.howToReopen')).toContain('</support:222>');
    expect(t('es', 'task.errors.claimFirst', { number: 4 })).toBe('Nadie ha tomado todavía la tarea **#4**. Tómala primero con </task claim:111> y `número:4`.');
    expect(t('en', 'task.errors.claimFirst', { number: 4 })).toBe('**#4** is not claimed yet. Claim it first with </task claim:111> and `id:4`.');
  });

  it('fall back to the command name in the text’s language while the id is unknown', () => {
    expect(t('es', 'support.thread.howToReopen')).toContain('usa /apoyo para empezar');
    expect(t('en', 'support.thread.howToReopen')).toContain('use /support to start');
    expect(commandReference('es', 'setup channels')).toBe('/configurar canales');
    expect(commandReference('es', 'task stats')).toBe('/tarea estadísticas');
    expect(commandReference('en', 'task stats')).toBe('/task stats');
  });

  it('resolves the reference in the catalog text only, never in values a member typed', () => {
    setCommandIds([['task', '111']]);
    expect(t('en', 'task.done', { number: 1, title: '{cmd:task list}' })).toBe('**#1** {cmd:task list} is done. Thank you for your work!');
  });
});

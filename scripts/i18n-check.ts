// Fails CI when the Spanish UI strings or guides fall behind the English ones.
import { readFileSync } from 'node:fs';
import { checkCatalogs, checkGuides, describeProblem } from '../src/i18n/translation-check.js';
import { projectPath } from '../src/paths.js';

const read = (file: string) => JSON.parse(readFileSync(projectPath(file), 'utf8')) as Record<string, unknown>;
const problems = [
  ...checkCatalogs(read('locales/en.json'), read('locales/es.json')),
  ...checkGuides(projectPath('locales')),
];
if (problems.length > 0) {
  for (const problem of problems) console.error(describeProblem(problem).replace(projectPath() + '/', ''));
  console.error(`i18n check: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log('i18n check: English and Spanish strings and guides are in step');

// After a translator has brought a Spanish guide up to date, record the English hash it matches.
// Usage: npm run i18n:mark-reviewed -- <slug> [<slug>…]
import { readFileSync, writeFileSync } from 'node:fs';
import matter from 'gray-matter';
import { guideSourceHash } from '../src/i18n/translation-check.js';
import { projectPath } from '../src/paths.js';

const slugs = process.argv.slice(2);
if (slugs.length === 0) {
  console.error('usage: npm run i18n:mark-reviewed -- <slug> [<slug>…]');
  process.exit(2);
}
for (const slug of slugs) {
  const english = readFileSync(projectPath('locales/en/guides', `${slug}.md`), 'utf8');
  const spanishPath = projectPath('locales/es/guides', `${slug}.md`);
  const spanish = readFileSync(spanishPath, 'utf8');
  const hash = guideSourceHash(english);
  // Replace only the one front-matter line so the translator's formatting stays as written.
  const updated = /^source_hash:.*$/m.test(spanish)
    ? spanish.replace(/^source_hash:.*$/m, `source_hash: "${hash}"`)
    : spanish.replace(/^---\n/, `---\nsource_hash: "${hash}"\n`);
  if (matter(updated).data.source_hash !== hash) throw new Error(`could not record the hash in ${spanishPath}`);
  writeFileSync(spanishPath, updated);
  console.log(`${slug}: source_hash ${hash}`);
}

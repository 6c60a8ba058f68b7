// After a translator has brought a Spanish guide up to date, record the English hash it matches.
// Usage: npm run i18n:mark-reviewed -- <slug> [<slug>…]
import { markTranslationReviewed } from '../src/i18n/translation-check.js';
import { projectPath } from '../src/paths.js';

const slugs = process.argv.slice(2);
if (slugs.length === 0) {
  console.error('usage: npm run i18n:mark-reviewed -- <slug> [<slug>…]');
  process.exit(2);
}
for (const slug of slugs) {
  const hash = markTranslationReviewed(projectPath('locales'), slug);
  console.log(`${slug}: source_hash ${hash}`);
}

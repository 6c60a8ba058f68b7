// Preloaded by `npm start` and the operator tools (node --import): refuses, with one line, to run a
// build that is missing or older than the sources. `npm start` never compiles; `npm run build` does.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(ROOT, 'dist', '.build-stamp');

/** The newest file under `dir` whose name passes `accept`, as [mtimeMs, path]. */
function newest(dir, accept, recursive) {
  let best = [0, ''];
  if (!existsSync(dir)) return best;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const candidate = entry.isDirectory() ? (recursive ? newest(path, accept, true) : best) : accept(entry.name) ? [statSync(path).mtimeMs, path] : best;
    if (candidate[0] > best[0]) best = candidate;
  }
  return best;
}

function refuse(message) {
  console.error(message);
  process.exit(78); // EX_CONFIG: the service manager should not restart in a loop (see deploy/).
}

if (!existsSync(STAMP)) {
  refuse('Not built: dist/ is missing or incomplete. Run `npm run build` first (see README.md, "Deploy").');
}
const built = statSync(STAMP).mtimeMs;
const sources = [
  newest(join(ROOT, 'src'), (name) => name.endsWith('.ts'), true),
  newest(join(ROOT, 'commands'), (name) => name.endsWith('.ts'), true),
  newest(join(ROOT, 'locales'), (name) => name.endsWith('.json'), false),
];
const [changedAt, changed] = sources.reduce((a, b) => (b[0] > a[0] ? b : a));
if (changedAt > built) {
  refuse(`Out of date: ${relative(ROOT, changed)} changed after the last build. Run \`npm run build\`, then start again.`);
}

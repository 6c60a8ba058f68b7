import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPENAPI_REPORT_DIR_ENV } from '../../src/stand-in/openapi.js';

/**
 * Global setup: gives the test processes a folder for their OpenAPI counts (they inherit the
 * variable) and, at the end of the run, prints how many requests and responses were checked.
 */
export default function openApiReport(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'hml-openapi-'));
  process.env[OPENAPI_REPORT_DIR_ENV] = dir;
  return () => {
    const totals = { requests: 0, requestBodies: 0, responses: 0, violations: 0 };
    const samples = new Set<string>();
    for (const file of readdirSync(dir)) {
      const counts = JSON.parse(readFileSync(join(dir, file), 'utf8')) as typeof totals & { samples: string[] };
      for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += counts[key];
      for (const sample of counts.samples) samples.add(sample);
    }
    rmSync(dir, { recursive: true, force: true });
    if (totals.requests + totals.responses === 0) return;
    console.log(
      `OpenAPI: checked ${totals.requests} requests (${totals.requestBodies} with a body) and ${totals.responses} responses, ${totals.violations} violations`,
    );
    // The failing tests name each violation; this lists the distinct kinds once.
    if (totals.violations > 0) for (const sample of samples) console.log(`  ${sample}`);
  };
}

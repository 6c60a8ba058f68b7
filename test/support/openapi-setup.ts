import { afterAll, afterEach } from 'vitest';
import { formatViolation, takePendingViolations, writeContractLedger } from '../../src/stand-in/openapi.js';

/**
 * Every test file runs with this: a request or response that broke Discord's OpenAPI description
 * during a test fails that test (and one recorded in a file's setup or teardown fails the file).
 */
function failOnViolations(): void {
  const violations = takePendingViolations();
  if (violations.length === 0) return;
  throw new Error(`Discord OpenAPI contract violated ${violations.length} time(s):\n${violations.slice(0, 10).map(formatViolation).join('\n')}`);
}

afterEach(failOnViolations);
afterAll(() => {
  writeContractLedger();
  failOnViolations();
});

/**
 * Runs every detector's embedded tests against all detectors together. A positive must be reported by
 * its own detector and by no other; a negative by no detector at all. So every test line is also a
 * false-positive test for every other detector.
 */
import type { SecretDetector } from './detector-file.js';
import { findSecrets } from './find-secrets.js';

/** A test line that did not behave as its detector file says. */
export interface DetectorTestFailure {
  readonly detector: string;
  readonly file: string;
  readonly kind: 'positive' | 'negative';
  /** Index of the line in its list; the line itself is a (fake) secret, so messages never quote it. */
  readonly index: number;
  readonly message: string;
}

/** The failures of all embedded tests; empty when every detector behaves as its file says. */
export function runDetectorTests(detectors: readonly SecretDetector[]): DetectorTestFailure[] {
  const failures: DetectorTestFailure[] = [];
  for (const d of detectors) {
    const fail = (kind: 'positive' | 'negative', index: number, message: string) => failures.push({ detector: d.id, file: d.file, kind, index, message });
    d.tests.positive.forEach((text, i) => {
      const rules = new Set(findSecrets(text, detectors).map((m) => m.rule));
      const others = [...rules].filter((r) => r !== d.id);
      if (!rules.has(d.id)) fail('positive', i, `not found by ${d.id}${others.length ? `; found by ${others.join(', ')}` : ''}`);
      else if (others.length) fail('positive', i, `also found by ${others.join(', ')}`);
    });
    d.tests.negative.forEach((text, i) => {
      const rules = [...new Set(findSecrets(text, detectors).map((m) => m.rule))];
      if (rules.length) fail('negative', i, `found by ${rules.join(', ')}`);
    });
  }
  return failures;
}

/**
 * Splits findings into BatchImportFindings requests within Security Hub's limits: 100 findings and
 * 6 MB of JSON a request, 240 KB a finding. A finding over 240 KB can never be imported, so it is
 * rejected here with its size rather than sent to fail again on every run.
 */
import type { AsffFinding } from '../findings/asff.js';

/** Request limits, in findings and bytes of JSON. */
export interface ImportLimits {
  readonly maxFindings: number;
  readonly maxRequestBytes: number;
  readonly maxFindingBytes: number;
}

/** Security Hub's documented BatchImportFindings limits. */
export const SECURITY_HUB_IMPORT_LIMITS: ImportLimits = { maxFindings: 100, maxRequestBytes: 6 * 1024 * 1024, maxFindingBytes: 240 * 1024 };

/** A finding that cannot be sent, and why. */
export interface RejectedFinding {
  readonly finding: AsffFinding;
  readonly reason: string;
}

/** The requests to send and the findings that must never be sent. */
export interface ImportBatches {
  readonly batches: AsffFinding[][];
  readonly rejected: RejectedFinding[];
}

// `{"Findings":[` and `]}` around the findings, and a comma between two of them.
const encoder = new TextEncoder();
const ENVELOPE_BYTES = encoder.encode('{"Findings":[]}').length;

/** The size of a value as UTF-8 JSON, as it travels in the request body. */
export function jsonBytes(value: unknown): number {
  return encoder.encode(JSON.stringify(value)).length;
}

/** Splits findings, in order, into requests within `limits`. */
export function importBatches(findings: readonly AsffFinding[], limits: ImportLimits = SECURITY_HUB_IMPORT_LIMITS): ImportBatches {
  const batches: AsffFinding[][] = [];
  const rejected: RejectedFinding[] = [];
  let batch: AsffFinding[] = [];
  let bytes = ENVELOPE_BYTES;
  for (const finding of findings) {
    const size = jsonBytes(finding);
    if (size > limits.maxFindingBytes) {
      rejected.push({ finding, reason: `finding is ${size} bytes of JSON; Security Hub accepts at most ${limits.maxFindingBytes}` });
      continue;
    }
    const added = size + (batch.length > 0 ? 1 : 0);
    if (batch.length > 0 && (batch.length >= limits.maxFindings || bytes + added > limits.maxRequestBytes)) {
      batches.push(batch);
      batch = [];
      bytes = ENVELOPE_BYTES;
    }
    bytes += size + (batch.length > 0 ? 1 : 0);
    batch.push(finding);
  }
  if (batch.length > 0) batches.push(batch);
  return { batches, rejected };
}

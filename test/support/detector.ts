/** A detector over the built-in rules and a throwaway local database, with a controllable clock. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeParsed, type DecodedInput } from '../../central/core/decode/log-object.js';
import { Detector } from '../../central/core/detector.js';
import type { SecurityEvent } from '../../central/core/event.js';
import type { AsffFinding } from '../../central/core/findings/asff.js';
import type { AsnLookup } from '../../central/core/ioc/asn-ranges.js';
import type { Clock, FindingSink } from '../../central/core/ports.js';
import { RuleEngine } from '../../central/core/rules/engine.js';
import type { CompiledRule } from '../../central/core/rules/rule.js';
import { SqliteStore } from '../../central/local/sqlite-store.js';

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private time = Date.parse('2026-11-21T12:00:00Z')) {}
  now(): Date {
    return new Date(this.time);
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** A sink that keeps every finding version it is given. */
export class RecordingSink implements FindingSink {
  readonly versions: AsffFinding[] = [];
  async put(findings: readonly AsffFinding[]): Promise<void> {
    this.versions.push(...findings);
  }
}

/** An ASN lookup from a table (a rule test case's `asnOf`). */
export function tableAsnLookup(table: Readonly<Record<string, number>>): AsnLookup {
  return { asnOf: (ip) => (Object.hasOwn(table, ip) ? { asn: table[ip]! } : undefined) };
}

/** Builds a detector on a fresh temporary database; `asn` for rules over the source network. */
export function testDetector(rules: readonly CompiledRule[], clock = new ManualClock(), asn?: AsnLookup) {
  const store = new SqliteStore(join(mkdtempSync(join(tmpdir(), 'skywatch-test-')), 'state.db'));
  const sink = new RecordingSink();
  const detector = new Detector({ engine: new RuleEngine(rules), state: store, sink, clock, ...(asn && { asn }) });
  return { detector, store, sink, clock };
}

/** Decodes one raw record or envelope into an event, failing loudly if it does not decode. */
export function eventOf(raw: unknown, input = 'test'): SecurityEvent {
  const out: DecodedInput = { events: [], problems: [] };
  decodeParsed(raw, input, out);
  if (out.events.length !== 1) throw new Error(`expected one event, got ${out.events.length}: ${JSON.stringify(out.problems)}`);
  return out.events[0]!;
}

/**
 * Findings from member scanners' results. One finding per object and matching rule (a YARA rule or a
 * secret detector), so rotating one leaked key closes one finding; and one per object whose archive
 * crossed the unpacking limits, the mark of a zip or gzip bomb. Matches arrive redacted: a finding
 * shows where a secret is, its masked preview and short hash, never its value.
 */
import type { ScanResult } from '../../../member/scanner/scan-result.js';
import type { SecurityEvent } from '../event.js';
import { partitionOf, type EventFindingDraft, type FindingDraft } from '../findings/asff.js';
import { findingId } from '../findings/finding-id.js';
import type { Evidence } from '../findings/ledger.js';
import { higherSeverity, type SeverityLabel } from '../rules/schema.js';

/** The rule ids of object-scan findings, for suppressions (`rules: [object-secret]`). */
export const OBJECT_SCAN_RULES = { secret: 'object-secret', yara: 'object-malware', limits: 'object-archive-bomb' } as const;

/** A finding an object scan gives, before the ledger dates it. */
export interface ScanFindingCandidate {
  readonly id: string;
  readonly draft: EventFindingDraft;
  readonly severity: SeverityLabel;
  readonly evidence: readonly Evidence[];
}

type Match = ScanResult['matches'][number];

const BOMB_LIMITS = new Set(['ratio', 'total-bytes', 'entries', 'depth', 'entry-bytes']);
const LOCATIONS_SHOWN = 5;

/** The findings of one scan-result event (kind `objectscan`). */
export function scanFindingCandidates(event: SecurityEvent): ScanFindingCandidate[] {
  const result = event.raw as unknown as ScanResult;
  const object = `s3://${result.bucket}/${result.key}`;
  const resources = objectResources(result);
  const evidence = [{ id: event.id, time: event.time }];
  const groups = new Map<string, Match[]>();
  for (const match of result.matches) {
    const key = `${match.kind}\u0000${match.rule}`;
    const group = groups.get(key);
    if (group) group.push(match);
    else groups.set(key, [match]);
  }
  const candidates: ScanFindingCandidate[] = [];
  for (const matches of groups.values()) {
    const first = matches[0]!;
    const ruleId = first.kind === 'secret' ? OBJECT_SCAN_RULES.secret : OBJECT_SCAN_RULES.yara;
    const id = findingId(ruleId, result.account, result.region, `${result.bucket}/${result.key}\u0000${first.rule}`);
    const severity = matches.reduce<SeverityLabel>((a, m) => higherSeverity(a, m.severity), first.severity);
    const title = first.kind === 'secret' ? `${first.title} in ${object}` : `YARA rule ${first.rule} matched ${object}`;
    const draft: EventFindingDraft = {
      id,
      generatorId: `skywatch/${ruleId}/${first.rule}`.slice(0, 512),
      ruleId,
      status: 'active',
      title,
      description: describe(first, matches, object, result),
      types: [first.findingType],
      mitre: [],
      remediation: { text: first.kind === 'secret' ? SECRET_RUNBOOK : MALWARE_RUNBOOK },
      resources,
      event,
      ...(first.kind === 'yara' && { malware: [{ Name: first.rule, Path: matches[0]!.entry ?? object, State: 'OBSERVED' as const }] }),
      fields: matchFields(first, matches, result),
    };
    candidates.push({ id, draft, severity, evidence });
  }
  const bombs = result.notes.filter((n) => BOMB_LIMITS.has(n.reason));
  if (bombs.length) candidates.push(bombCandidate(event, result, object, resources, bombs, evidence));
  return candidates;
}

function describe(first: Match, matches: readonly Match[], object: string, result: ScanResult): string {
  const where = matches.slice(0, LOCATIONS_SHOWN).map(location).join('; ');
  const more = matches.length > LOCATIONS_SHOWN ? ` and ${matches.length - LOCATIONS_SHOWN} more` : '';
  const what = first.kind === 'secret' ? `${first.title} (detector ${first.rule})` : `${first.title} (YARA rule ${first.rule}${first.attribution ? `, by ${first.attribution}` : ''})`;
  const version = result.versionId ? ` version ${result.versionId}` : '';
  const masked = result.keyMasked ? ' The object key holds a secret, masked here as everywhere: find the object by the visible part of its key and its version id.' : '';
  const dropped = result.matchesDropped ? ` The scan result left out the ${result.matchesDropped} least severe of the object's ${result.matchCount} matches: it carries at most 100, and what fits in one event.` : '';
  // What was left out comes before the locations: a long description is cut at the end.
  return `The member scanner found ${what} in ${object}${version} (${result.size} bytes).${masked}${dropped} At ${where}${more}. Values are never stored: previews are masked.`;
}

function location(m: Match): string {
  if (m.inName) return `${m.entry ? `the name of ${m.entry}` : 'the object key'} (character ${m.offset})${m.preview ? `: ${m.preview}` : ''} [hash ${m.hash}]`;
  const at = m.line !== undefined ? `line ${m.line} (offset ${m.offset})` : `offset ${m.offset}`;
  return `${m.entry ? `${m.entry} ` : ''}${at}${m.preview ? `: ${m.preview}` : ''} [hash ${m.hash}]`;
}

function matchFields(first: Match, matches: readonly Match[], result: ScanResult): Record<string, string> {
  return {
    'skywatch/ScanEngine': first.kind,
    'skywatch/MatchRule': first.rule,
    'skywatch/MatchCount': String(matches.length),
    'skywatch/MatchHashes': [...new Set(matches.map((m) => m.hash))].join(','),
    'skywatch/ObjectKey': result.key,
    ...(result.keyMasked && { 'skywatch/ObjectKeyMasked': 'true' }),
    ...(result.versionId && { 'skywatch/ObjectVersionId': result.versionId }),
    'skywatch/RulesVersion': result.rulesVersion,
    ...(result.matchesDropped && { 'skywatch/MatchesDropped': String(result.matchesDropped) }),
    ...(first.attribution && { 'skywatch/RuleAttribution': first.attribution }),
  };
}

function bombCandidate(event: SecurityEvent, result: ScanResult, object: string, resources: FindingDraft['resources'], bombs: ScanResult['notes'], evidence: Evidence[]): ScanFindingCandidate {
  const ruleId = OBJECT_SCAN_RULES.limits;
  const id = findingId(ruleId, result.account, result.region, `${result.bucket}/${result.key}`);
  const limits = [...new Set(bombs.map((n) => n.reason))];
  return {
    id,
    severity: 'MEDIUM',
    evidence,
    draft: {
      id,
      generatorId: `skywatch/${ruleId}`,
      ruleId,
      status: 'active',
      title: `Archive bomb in ${object}: unpacking stopped at the ${limits.join(', ')} limit`,
      description: `The member scanner stopped unpacking ${object} (${result.size} bytes): ${bombs.slice(0, 3).map((n) => `${n.path}: ${n.detail}`).join('; ')}. What was unpacked before the limit was scanned; the rest was not.`,
      types: ['TTPs/Defense Evasion/Archive bomb'],
      mitre: [],
      remediation: { text: 'Find out who uploaded the object (CloudTrail data events or S3 server access logs) and why; delete it if it has no purpose. Archive bombs exhaust the resources of whatever unpacks them and hide content from scanners.' },
      resources,
      event,
      fields: { 'skywatch/ScanLimits': limits.join(','), 'skywatch/ObjectKey': result.key, 'skywatch/RulesVersion': result.rulesVersion },
    },
  };
}

function objectResources(result: ScanResult): FindingDraft['resources'] {
  const partition = partitionOf(result.region);
  return [
    { type: 'AwsS3Object', id: `arn:${partition}:s3:::${result.bucket}/${result.key}` },
    { type: 'AwsS3Bucket', id: `arn:${partition}:s3:::${result.bucket}` },
  ];
}

const SECRET_RUNBOOK =
  'Treat the secret as exposed: rotate or revoke it at its issuer, then delete the object or the secret from it (and its older versions). Check the credential\'s use since the object was written (CloudTrail for AWS keys).';
const MALWARE_RUNBOOK =
  'Quarantine the object (restrict access, keep a copy for analysis), find who uploaded it (CloudTrail data events or S3 server access logs) and where it was downloaded or executed.';

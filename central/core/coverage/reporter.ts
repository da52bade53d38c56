/**
 * Coverage gaps: places Skywatch cannot see into or write to. Each open gap is a finding in the
 * central account, archived when the gap closes, so a blind spot is as visible as a detection.
 */

/** What is missing. */
export type GapKind =
  /** The account has no CURRENT skywatch-member stack instance at all. */
  | 'member-stack-missing'
  /** The account has the member stack, but not (or not CURRENT) in some member regions: no forwarding there. */
  | 'forwarding-missing'
  /** Security Hub is off in the account in some regions: its findings wait in the outbox. */
  | 'security-hub-off';

/** Opens and closes gaps; one finding per kind and account, naming every region affected. */
export interface CoverageReporter {
  /** Opens a gap (or adds a region to it); `detail` says what was observed, for the finding's description. */
  open(kind: GapKind, account: string, region: string | undefined, detail: string): Promise<void>;
  /** Closes a gap for a region (undefined: the whole gap); archives the finding when nothing is left open. */
  close(kind: GapKind, account: string, region: string | undefined): Promise<void>;
}

/**
 * The outbox: findings on their way to Security Hub. The detector puts findings here before it
 * acknowledges its input; the publisher removes a finding only once Security Hub accepted that very
 * version, so a crash, a throttle or an account with Security Hub off never loses one.
 * Identity is Security Hub's: ProductArn + Id (the product ARN names the account and region).
 */
import type { AsffFinding } from '../findings/asff.js';
import type { FindingSink } from '../ports.js';

/** A finding waiting for Security Hub. */
export interface OutboxItem {
  readonly finding: AsffFinding;
  /** Failed delivery attempts of this finding (any version) so far. */
  readonly attempts: number;
  /** Why the last attempt failed, for operators; never a secret. */
  readonly lastError?: string;
}

export interface Outbox extends FindingSink {
  /**
   * Adds findings, replacing a pending version with an earlier UpdatedAt. A pending version with a
   * later or equal UpdatedAt is kept (an older version arriving late must not overwrite a newer one).
   */
  put(findings: readonly AsffFinding[]): Promise<void>;
  /** Everything pending, in pages, ordered by account, region and Id. */
  pages(pageSize?: number): AsyncIterable<OutboxItem[]>;
  /** Removes exactly these versions: an item whose UpdatedAt changed since it was read stays. */
  remove(delivered: readonly AsffFinding[]): Promise<void>;
  /** Records a failed attempt (attempts + 1, reason) on exactly these versions; nothing is removed. */
  failed(findings: readonly AsffFinding[], reason: string): Promise<void>;
}

/** The outbox key of a finding: account, region and Id, so pages come grouped for the publisher. */
export function outboxKey(finding: Pick<AsffFinding, 'AwsAccountId' | 'Region' | 'Id'>): string {
  return `${finding.AwsAccountId}#${finding.Region}#${finding.Id}`;
}

/** An outbox in memory: for unit tests and the reference run of the end-to-end harness. */
export class MemoryOutbox implements Outbox {
  private readonly items = new Map<string, OutboxItem>();

  async put(findings: readonly AsffFinding[]): Promise<void> {
    for (const finding of findings) {
      const key = outboxKey(finding);
      const current = this.items.get(key);
      if (current && current.finding.UpdatedAt >= finding.UpdatedAt) continue;
      this.items.set(key, { finding: structuredClone(finding), attempts: current?.attempts ?? 0, ...(current?.lastError && { lastError: current.lastError }) });
    }
  }

  async *pages(pageSize = 100): AsyncIterable<OutboxItem[]> {
    const keys = [...this.items.keys()].sort();
    for (let i = 0; i < keys.length; i += pageSize) {
      const page = keys.slice(i, i + pageSize).flatMap((k) => (this.items.has(k) ? [structuredClone(this.items.get(k)!)] : []));
      if (page.length) yield page;
    }
  }

  async remove(delivered: readonly AsffFinding[]): Promise<void> {
    for (const finding of delivered) {
      const key = outboxKey(finding);
      if (this.items.get(key)?.finding.UpdatedAt === finding.UpdatedAt) this.items.delete(key);
    }
  }

  async failed(findings: readonly AsffFinding[], reason: string): Promise<void> {
    for (const finding of findings) {
      const key = outboxKey(finding);
      const current = this.items.get(key);
      if (current?.finding.UpdatedAt === finding.UpdatedAt) this.items.set(key, { ...current, attempts: current.attempts + 1, lastError: reason });
    }
  }

  /** How many findings are pending. */
  get size(): number {
    return this.items.size;
  }
}

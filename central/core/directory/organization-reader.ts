/**
 * The port onboarding reads the organization through: Organizations and the member StackSet in AWS,
 * an organization description in tests and locally.
 */
import type { SecurityHubMember, StackInstance } from '../coverage/check.js';
import type { DirectoryAccount } from './stored-directory.js';

/** Everything one full coverage check compares. */
export interface OrganizationReadout {
  /** Every account of the organization, whatever its state. */
  readonly accounts: readonly DirectoryAccount[];
  /** False when the account tags could not be read (they are then empty). */
  readonly tagsReadable: boolean;
  readonly stackInstances: readonly StackInstance[];
  readonly securityHubMembers: readonly SecurityHubMember[];
}

/** Reads the organization as it is now. */
export interface OrganizationReader {
  read(): Promise<OrganizationReadout>;
}

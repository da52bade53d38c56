/**
 * The organization directory as onboarding last saw it: accounts with their names, OU paths, tags and
 * state, saved in the StateStore so the detector and the notifier can name accounts and scope
 * suppressions by OU and tag without calling Organizations on every event.
 *
 * The snapshot is one value (`org/directory`) while it is small; a large organization's accounts are
 * split into parts written first under a key of their own generation, so a reader never sees half of
 * a new snapshot, and no value outgrows a DynamoDB item (400 KB).
 */
import type { Clock, StateStore } from '../ports.js';
import { systemClock } from '../ports.js';
import type { AccountDirectory, AccountInfo } from '../suppressions/match.js';

/** The state key of the snapshot. */
export const DIRECTORY_KEY = 'org/directory';

/** How long a loaded directory is reused before it is read again. */
export const DIRECTORY_CACHE_MS = 5 * 60_000;

/** The most JSON bytes one stored value of the snapshot holds. */
const PART_BYTES = 300_000;

/** One account of the organization. */
export interface DirectoryAccount {
  readonly id: string;
  readonly name?: string;
  /** Organizations' account State: ACTIVE, SUSPENDED, PENDING_CLOSURE... */
  readonly state: string;
  /** The root id, then OU ids from the root down to the account's parent. */
  readonly ous: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

/** The organization at one moment. */
export interface DirectorySnapshot {
  readonly takenAt: string;
  readonly accounts: readonly DirectoryAccount[];
}

interface StoredHeader {
  readonly takenAt: string;
  /** Inline when the snapshot fits in one value. */
  readonly accounts?: readonly DirectoryAccount[];
  /** Otherwise the number of parts under `partKey(generation, i)`. */
  readonly parts?: number;
  readonly generation?: string;
}

/** An AccountDirectory over a snapshot. */
export class SnapshotDirectory implements AccountDirectory {
  private readonly byId: ReadonlyMap<string, DirectoryAccount>;

  constructor(readonly snapshot: DirectorySnapshot) {
    this.byId = new Map(snapshot.accounts.map((a) => [a.id, a]));
  }

  describe(account: string): AccountInfo | undefined {
    const found = this.byId.get(account);
    return found && { ...(found.name !== undefined && { name: found.name }), ous: found.ous, tags: found.tags };
  }
}

/** Saves a snapshot, replacing the previous one (the latest writer wins; both saw the organization). */
export async function saveDirectory(state: StateStore, snapshot: DirectorySnapshot): Promise<void> {
  const chunks = split(snapshot.accounts);
  const header: StoredHeader =
    chunks.length <= 1
      ? { takenAt: snapshot.takenAt, accounts: snapshot.accounts }
      : { takenAt: snapshot.takenAt, parts: chunks.length, generation: String(Date.parse(snapshot.takenAt)) };
  if (header.generation) for (const [i, chunk] of chunks.entries()) await putLatest(state, partKey(header.generation, i), chunk);
  await putLatest(state, DIRECTORY_KEY, header);
}

/** The stored snapshot; undefined when there is none or one of its parts is gone. */
export async function readDirectorySnapshot(state: StateStore): Promise<DirectorySnapshot | undefined> {
  const header = (await state.get<StoredHeader>(DIRECTORY_KEY))?.value;
  if (!header) return undefined;
  if (header.accounts) return { takenAt: header.takenAt, accounts: header.accounts };
  const accounts: DirectoryAccount[] = [];
  for (let i = 0; i < (header.parts ?? 0); i++) {
    const part = await state.get<DirectoryAccount[]>(partKey(header.generation ?? '', i));
    if (!part) return undefined;
    accounts.push(...part.value);
  }
  return { takenAt: header.takenAt, accounts };
}

const cache = new WeakMap<StateStore, { readonly at: number; readonly directory: AccountDirectory | undefined }>();

/**
 * The stored directory, read at most once every few minutes per store (a missing snapshot too, so
 * an organization without one does not cost a read per event).
 */
export async function loadStoredDirectory(state: StateStore, options: { readonly clock?: Clock; readonly maxAgeMs?: number } = {}): Promise<AccountDirectory | undefined> {
  const now = (options.clock ?? systemClock).now().getTime();
  const cached = cache.get(state);
  if (cached && now - cached.at < (options.maxAgeMs ?? DIRECTORY_CACHE_MS)) return cached.directory;
  const snapshot = await readDirectorySnapshot(state);
  const directory = snapshot && new SnapshotDirectory(snapshot);
  cache.set(state, { at: now, directory });
  return directory;
}

function partKey(generation: string, index: number): string {
  return `${DIRECTORY_KEY}/${generation}/${index}`;
}

function split(accounts: readonly DirectoryAccount[]): DirectoryAccount[][] {
  const encoder = new TextEncoder();
  const chunks: DirectoryAccount[][] = [[]];
  let bytes = 0;
  for (const account of accounts) {
    const size = encoder.encode(JSON.stringify(account)).length + 1;
    if (bytes + size > PART_BYTES && chunks.at(-1)!.length > 0) {
      chunks.push([]);
      bytes = 0;
    }
    chunks.at(-1)!.push(account);
    bytes += size;
  }
  return chunks;
}

/** Writes a value over whatever version is there, retrying if another writer slips in between. */
async function putLatest<T>(state: StateStore, key: string, value: T): Promise<void> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = await state.get<T>(key);
    if (await state.put(key, value, current?.version)) return;
  }
  throw new Error(`${key} changed under every one of 8 attempts to write it`);
}

/**
 * Heavy hitters in bounded memory (Metwally, Agrawal, El Abbadi 2005, "Space-Saving"): at most
 * `capacity` keys are tracked; a new key arriving when the table is full replaces the lightest one
 * and inherits its count as its possible overestimate. Every key whose true total exceeds
 * (total / capacity) is guaranteed to be in the table, so a scanner or an exfiltration source is
 * never lost among a million one-packet sources, and memory does not grow with them.
 *
 * A key is a fixed number of parts (a detector's key fields, each text or a number). The table
 * finds an entry through one map per part, keyed by the parts themselves: the strings a decoder
 * made for a record carry their hash once computed, so five detectors keying on the same source
 * address hash it once, where joining the parts into one string would build and hash a new string
 * per detector and record. The joined text is made only when something asks for `key`.
 */

/** One part of a key: a field's text or number. */
export type KeyPart = string | number;

/** Joins key parts for the key's text; never in a field's text (fields are log tokens or URIs). */
export const KEY_SEPARATOR = '\u001f';

/** One tracked key; subclasses carry the metric's own accumulator. */
export class HeavyEntry {
  /** Estimated weight: at most `error` above the true weight. */
  weight: number;
  /** How much of `weight` may belong to keys evicted before this one took their place. */
  error = 0;
  /** Position in the table's array (the heap, once the table has evicted). */
  slot = -1;
  private text: string | undefined;

  constructor(readonly parts: readonly KeyPart[], weight: number) {
    this.weight = weight;
  }

  /** The parts joined by KEY_SEPARATOR: the key's order among equals, and its text. */
  get key(): string {
    return (this.text ??= this.parts.length === 1 ? String(this.parts[0]) : this.parts.join(KEY_SEPARATOR));
  }
}

/** The map from one part to the next level, or to the entry itself (always at the last part). */
type Level<E> = Map<KeyPart, E | Level<E>>;

/** True when `a` and `b` agree from `from` to `last`. */
function sameRest(a: readonly KeyPart[], b: readonly KeyPart[], from: number, last: number): boolean {
  for (let i = from; i <= last; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A Space-Saving table over keys of `depth` parts. Until the table is full there is nothing to
 * evict, so entries only sit in an array (most windows never fill it); at the first eviction the
 * array is made a binary min-heap by weight, after which finding the lightest entry and
 * re-ordering after an increment both cost O(log capacity).
 */
export class SpaceSaving<E extends HeavyEntry> {
  private readonly root: Level<E> = new Map();
  /** Every entry; a min-heap by weight once `evictions` is above zero. */
  private readonly heap: E[] = [];
  private evictions = 0;

  /**
   * @param create makes the entry of a new key from a copy of its parts and its first weight.
   */
  constructor(
    readonly capacity: number,
    readonly depth: number,
    private readonly create: (parts: readonly KeyPart[], weight: number) => E,
  ) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be at least 1, got ${capacity}`);
    if (!(depth >= 1)) throw new RangeError(`a key has at least one part, got ${depth}`);
  }

  /**
   * Adds `weight` (not negative) to the key of `parts` (its first `depth` items; the array is read,
   * not kept, so a caller may reuse it) and returns its entry, whose accumulator the caller updates.
   */
  add(parts: readonly KeyPart[], weight: number): E {
    const found = this.find(parts);
    if (found) {
      found.weight += weight;
      if (this.evictions > 0) this.sink(found.slot);
      return found;
    }
    if (this.heap.length < this.capacity) {
      const entry = this.create(parts.slice(0, this.depth), weight);
      entry.slot = this.heap.length;
      this.heap.push(entry);
      this.place(entry);
      return entry;
    }
    if (this.evictions === 0) this.buildHeap();
    const lightest = this.heap[0]!;
    this.remove(lightest);
    this.evictions++;
    const entry = this.create(parts.slice(0, this.depth), lightest.weight + weight);
    entry.error = lightest.weight;
    entry.slot = 0;
    this.heap[0] = entry;
    this.place(entry);
    this.sink(0);
    return entry;
  }

  /** Adds `weight` to an entry `add` just returned, sparing the key's lookup. */
  increase(entry: E, weight: number): void {
    entry.weight += weight;
    if (this.evictions > 0) this.sink(entry.slot);
  }

  /** Tracked entries, heaviest first (ties by key, so the order is stable). */
  top(limit = this.capacity): E[] {
    return [...this.heap].sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).slice(0, limit);
  }

  /** Tracked entries in no particular order. */
  values(): readonly E[] {
    return this.heap;
  }

  /** Keys tracked now. */
  get size(): number {
    return this.heap.length;
  }

  /** Keys replaced by heavier ones: when above zero, weights are estimates with their `error`. */
  get evicted(): number {
    return this.evictions;
  }

  private find(parts: readonly KeyPart[]): E | undefined {
    let level: Level<E> = this.root;
    const last = this.depth - 1;
    for (let i = 0; i < last; i++) {
      const next = level.get(parts[i]!);
      if (next === undefined) return undefined;
      if (next instanceof HeavyEntry) return sameRest(next.parts, parts, i + 1, last) ? next : undefined;
      level = next;
    }
    return level.get(parts[last]!) as E | undefined;
  }

  /**
   * Puts a new entry where its parts lead. A prefix shared by one key only holds that entry itself
   * rather than a map of one (most sources talk to one destination); the second key under it makes
   * the map and moves the first one down.
   */
  private place(entry: E): void {
    const { parts } = entry;
    let level: Level<E> = this.root;
    const last = this.depth - 1;
    for (let i = 0; i < last; i++) {
      const next = level.get(parts[i]!);
      if (next === undefined) {
        level.set(parts[i]!, entry);
        return;
      }
      if (next instanceof HeavyEntry) {
        // Another key alone under this prefix: give the prefix its map and move that key down one
        // level; the next turn places the new entry beside it (or moves it down again).
        const below: Level<E> = new Map();
        below.set(next.parts[i + 1]!, next);
        level.set(parts[i]!, below);
        level = below;
        continue;
      }
      level = next;
    }
    level.set(parts[last]!, entry);
  }

  /** Takes an entry out of the maps, and the maps it leaves empty, so evicted keys hold no memory. */
  private remove(entry: E): void {
    const { parts } = entry;
    const path: Level<E>[] = [this.root];
    let at = 0;
    // Walk down while the level holds a map; the entry sits at the first level that holds it itself.
    while (at < this.depth - 1) {
      const next = path[at]!.get(parts[at]!);
      if (next === undefined || next instanceof HeavyEntry) break;
      path.push(next);
      at++;
    }
    for (let i = at; i >= 0; i--) {
      path[i]!.delete(parts[i]!);
      if (i > 0 && path[i]!.size > 0) break;
    }
  }

  /** Makes the array a heap (Floyd's bottom-up construction, O(capacity)). */
  private buildHeap(): void {
    const heap = this.heap;
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) this.sink(i);
  }

  private sink(slot: number): void {
    const heap = this.heap;
    const entry = heap[slot]!;
    const n = heap.length;
    for (;;) {
      let child = 2 * slot + 1;
      if (child >= n) break;
      if (child + 1 < n && heap[child + 1]!.weight < heap[child]!.weight) child++;
      if (heap[child]!.weight >= entry.weight) break;
      heap[slot] = heap[child]!;
      heap[slot]!.slot = slot;
      slot = child;
    }
    heap[slot] = entry;
    entry.slot = slot;
  }
}

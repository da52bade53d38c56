/**
 * Heavy hitters in bounded memory (Metwally, Agrawal, El Abbadi 2005, "Space-Saving"): at most
 * `capacity` keys are tracked; a new key arriving when the table is full replaces the lightest one
 * and inherits its count as its possible overestimate. Every key whose true total exceeds
 * (total / capacity) is guaranteed to be in the table, so a scanner or an exfiltration source is
 * never lost among a million one-packet sources, and memory does not grow with them.
 *
 * Each entry also carries the metric's own accumulator (a sum, a distinct set, a ratio's two
 * counts); `weight` is what the table ranks by.
 */

/** One tracked key. */
export interface HeavyEntry<A> {
  readonly key: string;
  /** Estimated weight: at most `error` above the true weight. */
  weight: number;
  /** How much of `weight` may belong to keys evicted before this one took their place. */
  error: number;
  readonly accumulator: A;
  /** Position in the heap. */
  slot: number;
}

/**
 * A Space-Saving table over string keys. Until the table is full there is nothing to evict, so
 * entries only sit in the map (most windows never fill it); at the first eviction they are put in
 * a binary min-heap by weight, after which finding the lightest entry and re-ordering after an
 * increment both cost O(log capacity).
 */
export class SpaceSaving<A> {
  private readonly entries = new Map<string, HeavyEntry<A>>();
  /** Empty until the first eviction. */
  private heap: HeavyEntry<A>[] = [];
  private evictions = 0;

  constructor(readonly capacity: number, private readonly create: () => A) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be at least 1, got ${capacity}`);
  }

  /** Adds `weight` (not negative) to `key` and returns its entry, whose accumulator the caller updates. */
  add(key: string, weight: number): HeavyEntry<A> {
    const found = this.entries.get(key);
    if (found) {
      found.weight += weight;
      if (this.evictions > 0) this.sink(found.slot);
      return found;
    }
    if (this.entries.size < this.capacity) {
      const entry: HeavyEntry<A> = { key, weight, error: 0, accumulator: this.create(), slot: -1 };
      this.entries.set(key, entry);
      return entry;
    }
    if (this.evictions === 0) this.buildHeap();
    const lightest = this.heap[0]!;
    this.entries.delete(lightest.key);
    this.evictions++;
    const entry: HeavyEntry<A> = { key, weight: lightest.weight + weight, error: lightest.weight, accumulator: this.create(), slot: 0 };
    this.entries.set(key, entry);
    this.heap[0] = entry;
    this.sink(0);
    return entry;
  }

  /** Adds `weight` to an entry `add` just returned, sparing the key's lookup. */
  increase(entry: HeavyEntry<A>, weight: number): void {
    entry.weight += weight;
    if (this.evictions > 0) this.sink(entry.slot);
  }

  /** Tracked entries, heaviest first (ties by key, so the order is stable). */
  top(limit = this.capacity): HeavyEntry<A>[] {
    return [...this.entries.values()].sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).slice(0, limit);
  }

  /** Tracked entries in no particular order. */
  values(): IterableIterator<HeavyEntry<A>> {
    return this.entries.values();
  }

  /** Keys tracked now. */
  get size(): number {
    return this.entries.size;
  }

  /** Keys replaced by heavier ones: when above zero, weights are estimates with their `error`. */
  get evicted(): number {
    return this.evictions;
  }

  /** Puts every entry in the heap (Floyd's bottom-up construction, O(capacity)). */
  private buildHeap(): void {
    const heap = [...this.entries.values()];
    for (let i = 0; i < heap.length; i++) heap[i]!.slot = i;
    this.heap = heap;
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


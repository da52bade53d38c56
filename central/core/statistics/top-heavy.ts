/**
 * The `limit` highest-ranked of many weighted keys, without sorting them all: a bounded min-heap
 * whose root is the lowest-ranked kept, so each offer costs O(log limit) at most and most cost one
 * comparison. A window holds hundreds of keys seen once; only a scope's `topK` are judged.
 *
 * Rank: value descending, then weight descending, then key ascending (`<`): the order the engine
 * judges a window's keys in (the table's heaviest-first order, stably re-sorted by value).
 */

/** What is ranked: a key and its table weight (a Space-Saving entry). */
export interface Weighted {
  readonly key: string;
  readonly weight: number;
}

/** One kept item and the value it ranks by. */
export interface Ranked<T> {
  readonly entry: T;
  readonly value: number;
}

/** True when `a` ranks above `b`. */
function above<T extends Weighted>(a: Ranked<T>, b: Ranked<T>): boolean {
  if (a.value !== b.value) return a.value > b.value;
  if (a.entry.weight !== b.entry.weight) return a.entry.weight > b.entry.weight;
  return a.entry.key < b.entry.key;
}

/** Keeps the `limit` highest-ranked items offered. Keys must be distinct and values not NaN. */
export class TopHeavy<T extends Weighted> {
  private readonly heap: Ranked<T>[] = [];

  constructor(readonly limit: number) {}

  /** Offers an item: kept if fewer than `limit` are kept or it ranks above the lowest kept. */
  offer(entry: T, value: number): void {
    const heap = this.heap;
    const item = { entry, value };
    if (heap.length < this.limit) {
      heap.push(item);
      this.rise(heap.length - 1);
    } else if (heap.length > 0 && above(item, heap[0]!)) {
      heap[0] = item;
      this.sink(0);
    }
  }

  /** The kept items, highest-ranked first. */
  ranked(): Ranked<T>[] {
    return this.heap.slice().sort((a, b) => (above(a, b) ? -1 : 1));
  }

  private rise(i: number): void {
    const heap = this.heap;
    const item = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!above(heap[parent]!, item)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = item;
  }

  private sink(i: number): void {
    const heap = this.heap;
    const item = heap[i]!;
    const n = heap.length;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && above(heap[child]!, heap[child + 1]!)) child++;
      if (!above(item, heap[child]!)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = item;
  }
}

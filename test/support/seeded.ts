/** Seeded randomness for fakes, so a fault sequence repeats run after run. */
import { createRandom } from '../../central/demo/random.js';

/** A generator of numbers in [0, 1) from a seed. */
export function seededRandom(seed: number): () => number {
  const random = createRandom(seed);
  return () => random.next();
}

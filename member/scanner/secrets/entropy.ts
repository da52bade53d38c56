/** Shannon entropy, the measure detectors use to tell random key material from words and placeholders. */

/**
 * Bits per character of `value`: 0 for `aaaa`, 4 for 16 evenly spread hex digits, about 4.7 to 5 for
 * 40 random base64 characters. Placeholders (`xxxx`, `changeme`) and hex digests score low.
 */
export function shannonEntropy(value: string): number {
  const length = value.length;
  if (length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

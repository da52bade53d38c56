/**
 * Shortening text to a schema's limit without splitting a character: a cut between the two halves
 * of a surrogate pair (an emoji, a rare CJK character) would leave half a character behind.
 */

/** The marker where text was cut. */
export const CUT = '…';

/** `text` in at most `max` UTF-16 units: the start, `…`, and the end, which names the file in a path. */
export function shortenMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = cutAt(text, Math.floor((max - CUT.length) / 3));
  const tail = text.length - (max - CUT.length - head);
  return text.slice(0, head) + CUT + text.slice(tail + (isLowSurrogate(text, tail) ? 1 : 0));
}

/** `text` in at most `max` UTF-16 units, ending with `…` when it was cut. */
export function shortenEnd(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, cutAt(text, max - CUT.length)) + CUT;
}

/** `at`, or one less when `at` would split a surrogate pair. */
function cutAt(text: string, at: number): number {
  return isLowSurrogate(text, at) ? at - 1 : at;
}

function isLowSurrogate(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return code >= 0xdc00 && code <= 0xdfff;
}

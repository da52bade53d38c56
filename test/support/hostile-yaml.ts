/** YAML written to hurt a parser, for the loaders' limits. */

/** "Billion laughs": nine levels of nine aliases each, 9^9 strings once expanded; `indent` nests it under a key. */
export function billionLaughs(indent = ''): string {
  const lines = [`${indent}lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
  for (let i = 1; i < 9; i++) lines.push(`${indent}lol${i}: &lol${i} [${Array(9).fill(`*lol${i - 1}`).join(', ')}]`);
  return lines.join('\n');
}

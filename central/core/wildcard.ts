/** `*` wildcards over a whole value, everything else literal: `filter_*`, `arn:aws:iam::*:role/ci-*`. */
export function starPattern(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
}

/**
 * Domain indicators. A domain matches itself and every name under it (`evil.example` matches
 * `cdn.evil.example`), compared without case and without a trailing dot, as DNS compares names.
 */

// Labels of letters, digits, hyphens and underscores (seen in real C2 names), at least two labels.
const DOMAIN = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The domain in canonical form (lower case, no trailing dot), or undefined when it is not a domain name. */
export function normalizeDomain(text: string): string | undefined {
  const name = text.trim().toLowerCase().replace(/\.$/, '');
  if (name.length > 253 || !DOMAIN.test(name) || /^[\d.]+$/.test(name)) return undefined;
  return name;
}

/** A name and every domain above it, nearest first: `a.evil.example`, `evil.example`, `example`. */
export function selfAndParents(name: string): string[] {
  const names: string[] = [];
  let candidate = name.trim().toLowerCase().replace(/\.$/, '');
  for (;;) {
    names.push(candidate);
    const dot = candidate.indexOf('.');
    if (dot < 0) return names;
    candidate = candidate.slice(dot + 1);
  }
}

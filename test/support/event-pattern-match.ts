/**
 * A test matcher for EventBridge event patterns, covering the operators the forwarding patterns use,
 * so tests can prove which events a pattern forwards without calling TestEventPattern. Semantics follow
 * "Amazon EventBridge event patterns": fields in a pattern are ANDed, values in a pattern array are
 * ORed, an array in the event matches when any element does, and a field the pattern names must be in
 * the event unless the pattern asks `{"exists": false}`.
 */

/** A pattern uses an operator (or shape) outside this matcher's set; better loud than a silent false. */
export class UnsupportedPatternError extends Error {
  override readonly name = 'UnsupportedPatternError';
  constructor(readonly path: string, readonly detail: string) {
    super(`unsupported event pattern at ${path || '(root)'}: ${detail}`);
  }
}

/** True when the event matches the pattern; throws UnsupportedPatternError for operators outside its set. */
export function matchesEventPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  return matchObject(pattern, event, '');
}

function matchObject(pattern: Record<string, unknown>, value: unknown, path: string): boolean {
  // An array of objects in the event matches when one of its elements matches the nested pattern.
  if (Array.isArray(value)) return value.some((item) => matchObject(pattern, item, path));
  const record = isPlainObject(value) ? value : undefined;
  return Object.entries(pattern).every(([key, sub]) => {
    const at = path ? `${path}.${key}` : key;
    const field = record?.[key];
    if (Array.isArray(sub)) return matchLeaf(sub, field, at);
    if (isPlainObject(sub)) return matchObject(sub, field, at);
    throw new UnsupportedPatternError(at, 'a pattern value must be an array of matchers or a nested object');
  });
}

/** The leaf values at a field: none when absent, an empty array or an object (not a leaf). */
function leaves(value: unknown): unknown[] {
  if (value === undefined || isPlainObject(value)) return [];
  return Array.isArray(value) ? value.filter((v) => !isPlainObject(v) && !Array.isArray(v)) : [value];
}

function matchLeaf(matchers: readonly unknown[], value: unknown, path: string): boolean {
  const values = leaves(value);
  return matchers.some((m) => {
    if (isPlainObject(m)) return matchOperator(m, values, path);
    if (m === null || typeof m === 'string' || typeof m === 'number' || typeof m === 'boolean') return values.some((v) => v === m);
    throw new UnsupportedPatternError(path, `matcher ${JSON.stringify(m)} is not a value or an operator`);
  });
}

function matchOperator(op: Record<string, unknown>, values: readonly unknown[], path: string): boolean {
  const keys = Object.keys(op);
  if (keys.length !== 1) throw new UnsupportedPatternError(path, `an operator object has exactly one key, got ${JSON.stringify(op)}`);
  const [name] = keys as [string];
  const arg = op[name];
  switch (name) {
    case 'exists':
      if (typeof arg !== 'boolean') throw new UnsupportedPatternError(path, 'exists takes true or false');
      // Exists looks at leaves only: a nested object at the path counts as absent.
      return arg === values.length > 0;
    case 'prefix':
      if (typeof arg !== 'string') throw new UnsupportedPatternError(path, 'prefix takes a string');
      return values.some((v) => typeof v === 'string' && v.startsWith(arg));
    case 'wildcard': {
      if (typeof arg !== 'string') throw new UnsupportedPatternError(path, 'wildcard takes a string');
      const re = wildcardRegExp(arg);
      return values.some((v) => typeof v === 'string' && re.test(v));
    }
    default:
      throw new UnsupportedPatternError(path, `operator "${name}" is outside this matcher's set`);
  }
}

/** EventBridge wildcards: `*` is any run of characters, `\*` a literal star and `\\` a literal backslash. */
function wildcardRegExp(wildcard: string): RegExp {
  let source = '';
  for (let i = 0; i < wildcard.length; i++) {
    const c = wildcard[i]!;
    if (c === '\\' && (wildcard[i + 1] === '*' || wildcard[i + 1] === '\\')) source += escapeRegExp(wildcard[++i]!);
    else source += c === '*' ? '.*' : escapeRegExp(c);
  }
  return new RegExp(`^${source}$`, 's');
}

function escapeRegExp(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses the YAML of rule, Sigma, suppression and detector files within limits, so a hostile or
 * broken file (a "billion laughs" alias bomb, thousands of nested brackets, a huge map) becomes one
 * problem naming its file and line instead of an exception, a hang or an exhausted heap.
 */
import { Composer, Lexer, LineCounter, Parser, isAlias, isMap, isNode, isScalar, isSeq, visit, YAMLParseError, type CST, type Document } from 'yaml';
import type { RuleProblem } from './load.js';

/** The limits a YAML rule file must keep; the largest built-in rule file is about a quarter of the size. */
export const YAML_LIMITS = {
  /** The size of one file: characters when parsed, bytes when read from disk (fewer characters than bytes). */
  maxSize: 1024 * 1024,
  /** Maps and lists inside each other; the `yaml` package recurses per level and overflows the stack near a thousand. */
  maxDepth: 64,
  /** Aliases (`*name`) in one file: the `yaml` package resolves each by scanning the document. */
  maxAliases: 100,
  /** Alias expansions, as the `yaml` package counts them (its `maxAliasCount`), which bounds a bomb's growth. */
  maxAliasCount: 100,
} as const;

/** The message of the problem parseYaml reports for a file of several documents (`---`). */
export const SEVERAL_DOCUMENTS = 'the file holds more than one YAML document';

/** A YAML file parsed with positions, so later problems can name their line. */
export interface ParsedYaml {
  readonly doc: Document;
  readonly counter: LineCounter;
  /** The document as plain data, aliases resolved. */
  readonly value: unknown;
}

/** Parses YAML keeping positions; a syntax error or a broken limit is a problem at its line (0: the whole file). */
export function parseYaml(file: string, text: string): ParsedYaml | RuleProblem {
  if (text.length > YAML_LIMITS.maxSize) {
    return { file, line: 0, reason: `file too large: ${text.length} characters (the limit is ${YAML_LIMITS.maxSize})` };
  }
  const counter = new LineCounter();
  const tokens = shallowTokens(text, counter);
  if ('tooDeepAt' in tokens) return { file, line: counter.linePos(tokens.tooDeepAt).line, reason: `nested deeper than ${YAML_LIMITS.maxDepth} levels` };
  const doc = composeOne(tokens, text.length);
  const error = doc.errors[0];
  if (error) return { file, line: counter.linePos(error.pos[0]).line, reason: `invalid YAML: ${error.message.split('\n')[0]}` };
  const duplicate = duplicateKey(doc);
  if (duplicate !== undefined) return { file, line: counter.linePos(duplicate).line, reason: 'invalid YAML: Map keys must be unique' };
  const aliases = aliasesOf(doc);
  if (aliases.length > YAML_LIMITS.maxAliases) {
    return { file, line: counter.linePos(aliases[YAML_LIMITS.maxAliases]!.offset).line, reason: `more than ${YAML_LIMITS.maxAliases} aliases` };
  }
  try {
    return { doc, counter, value: doc.toJS({ maxAliasCount: YAML_LIMITS.maxAliasCount }) };
  } catch (err) {
    // Only aliases make toJS throw (unresolved, or expanding past maxAliasCount): point at the likeliest one.
    const culprit = aliases.find((a) => a.unresolved) ?? aliases[0];
    return { file, line: culprit ? counter.linePos(culprit.offset).line : 1, reason: `invalid YAML: ${(err as Error).message}` };
  }
}

/**
 * The CST tokens, parsed lexeme by lexeme so nesting is checked as it opens: the parser's stack is
 * the chain of open collections, and stopping at the limit keeps both time and the composer's
 * recursion bounded.
 */
function shallowTokens(text: string, counter: LineCounter): CST.Token[] | { tooDeepAt: number } {
  const parser = new Parser(counter.addNewLine);
  const tokens: CST.Token[] = [];
  counter.addNewLine(0);
  for (const lexeme of new Lexer().lex(text)) {
    const offset = parser.offset;
    tokens.push(...parser.next(lexeme));
    if (parser.stack.length > YAML_LIMITS.maxDepth && collectionDepth(parser.stack) > YAML_LIMITS.maxDepth) return { tooDeepAt: offset };
  }
  tokens.push(...parser.end());
  return tokens;
}

function collectionDepth(stack: readonly CST.Token[]): number {
  return stack.filter((t) => t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection').length;
}

/** The first document, as `parseDocument` composes it; a second document is an error. */
function composeOne(tokens: readonly CST.Token[], length: number): Document {
  // Keys are checked for uniqueness by duplicateKey: the composer's own check is quadratic in a map's size.
  const composer = new Composer({ prettyErrors: false, uniqueKeys: false });
  let first: Document | undefined;
  for (const doc of composer.compose(tokens, true, length)) {
    if (!first) {
      first = doc;
      continue;
    }
    first.errors.push(new YAMLParseError([doc.range[0], doc.range[1]], 'MULTIPLE_DOCS', SEVERAL_DOCUMENTS));
    break;
  }
  // compose(…, forceDoc = true) always yields a document.
  return first!;
}

/** The offset of the first key repeated in its map, compared as the `yaml` package does (scalars by value). */
function duplicateKey(doc: Document): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        if (seen.has(pair.key.value)) {
          found = pair.key.range?.[0] ?? 0;
          return visit.BREAK;
        }
        seen.add(pair.key.value);
      }
      return undefined;
    },
  });
  return found;
}

/** Every alias in document order, and whether an anchor of its name came before it. */
function aliasesOf(doc: Document): Array<{ offset: number; unresolved: boolean }> {
  const anchors = new Set<string>();
  const aliases: Array<{ offset: number; unresolved: boolean }> = [];
  visit(doc, (_, node) => {
    if (isAlias(node)) aliases.push({ offset: node.range?.[0] ?? 0, unresolved: !anchors.has(node.source) });
    else if (isNode(node) && node.anchor) anchors.add(node.anchor);
  });
  return aliases;
}

/** A schema issue as a problem at the line of the key it is about. */
export function issueProblem(
  file: string,
  { doc, counter }: Pick<ParsedYaml, 'doc' | 'counter'>,
  issue: { readonly path: readonly PropertyKey[]; readonly message: string },
  prefix = '',
  whole = '(rule)',
): RuleProblem {
  const path = issue.path.map(String);
  return { file, line: lineOf(doc, counter, path), reason: `${prefix}${path.join('.') || whole}: ${issue.message}` };
}

/** The line of the deepest key or item along `path` that exists in the document. */
export function lineOf(doc: Document, counter: LineCounter, path: readonly string[]): number {
  let node: unknown = doc.contents;
  let offset = isNode(node) && node.range ? node.range[0] : 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) break;
      if (isNode(pair.key) && pair.key.range) offset = pair.key.range[0];
      node = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(segment)) {
      node = node.items[Number(segment)];
      if (!isNode(node) || !node.range) break;
      offset = node.range[0];
    } else break;
  }
  return counter.linePos(offset).line;
}

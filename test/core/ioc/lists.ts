/** Builds IOC list files for tests: a valid list with the given indicators, as YAML text. */
import { loadIocLists, type IocSource } from '../../../central/core/ioc/load.js';
import { compileIocMatcher, type IocMatcherOptions } from '../../../central/core/ioc/matcher.js';

/** A date well before every test list expires. */
export const NOW = new Date('2026-06-01T12:00:00Z');

/** The text of a list file `id` with `body` (YAML lines, indented by two spaces under `indicators:`, or top-level extras). */
export function listFile(id: string, indicators: string, extra = ''): IocSource {
  const text = [`ioc: ${id}`, `title: Test list ${id}`, 'source: test', 'licence: Apache-2.0', 'severity: HIGH', extra, indicators && 'indicators:', indicators].filter(Boolean).join('\n');
  return { file: `rules/ioc/${id}.yaml`, text: `${text}\n` };
}

/** A matcher over lists built from `{ id: indicatorsYaml }`, failing the test on any load problem. */
export function matcherOf(lists: Record<string, string>, options?: IocMatcherOptions) {
  const loaded = loadIocLists(Object.entries(lists).map(([id, body]) => listFile(id, body)), NOW);
  if (loaded.problems.length > 0) throw new Error(JSON.stringify(loaded.problems));
  return compileIocMatcher(loaded.lists, options);
}

/** The hits as `list kind indicator field` strings, for exact comparisons. */
export function described(hits: readonly { list: string; kind: string; indicator: string; field: string }[]): string[] {
  return hits.map((h) => `${h.list} ${h.kind} ${h.indicator} ${h.field}`);
}

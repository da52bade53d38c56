/**
 * How a correlation rule reads an observation. A name in `group-by` or `condition.field` is either
 * an alias, resolved through the `rules:` entry the observation matched (`aliases: { ip: { rule-a:
 * sourceIp, rule-b: raw.detail...ipAddressV4 } }`), or a normalized field name read from
 * `Observation.fields`. A value that is missing stays missing: an observation without it does not
 * join the rule, rather than landing in a group keyed "undefined" with every other such observation.
 */
import type { Observation } from './observation.js';

/**
 * The most group keys one observation yields. A multi-valued field gives one group per value, and
 * several such fields multiply; past this many combinations the first ones (in the order the values
 * are listed, the first group-by field varying slowest) are kept and the rest dropped, so one
 * observation with many resources cannot fan out into hundreds of state writes.
 */
export const MAX_GROUPS_PER_OBSERVATION = 16;

/** Alias name -> `rules:` entry -> the field read for observations matching that entry. */
export type Aliases = Readonly<Record<string, Readonly<Record<string, string>>>>;

/**
 * The distinct non-empty values of `name` for an observation that matched the `rules:` entry `ref`.
 * An alias without a field for `ref` gives none. `account` and `region` fall back to the
 * observation's own properties, which every observation has, when `fields` does not list them.
 */
export function valuesOf(observation: Observation, name: string, ref: string, aliases: Aliases): string[] {
  const alias = Object.hasOwn(aliases, name) ? aliases[name] : undefined;
  const field = alias ? (Object.hasOwn(alias, ref) ? alias[ref] : undefined) : name;
  if (field === undefined) return [];
  const listed = Object.hasOwn(observation.fields, field) ? observation.fields[field] : undefined;
  const values = listed ?? (field === 'account' ? [observation.account] : field === 'region' ? [observation.region] : []);
  return [...new Set(values.filter((v) => typeof v === 'string' && v !== ''))];
}

/**
 * Every combination of one value per group-by name, at most MAX_GROUPS_PER_OBSERVATION; none when a
 * name has no value. No names at all give the one empty group (the rule counts over everything).
 */
export function combinations(names: readonly string[], values: ReadonlyArray<readonly string[]>): Array<Record<string, string>> {
  if (values.some((v) => v.length === 0)) return [];
  let partial: string[][] = [[]];
  for (const options of values) {
    const next: string[][] = [];
    for (const prefix of partial) {
      for (const value of options) {
        if (next.length === MAX_GROUPS_PER_OBSERVATION) break;
        next.push([...prefix, value]);
      }
    }
    partial = next;
  }
  // fromEntries defines own properties, so a field named __proto__ is a key like any other.
  return partial.map((combo) => Object.fromEntries(names.map((n, i) => [n, combo[i]!])));
}

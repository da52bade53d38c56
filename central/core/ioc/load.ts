/**
 * Loads IOC list files: texts in, compiled lists and problems out; the caller reads the files
 * (the `.yaml` lists and any `.txt` indicator files they name, from the same folder). A broken
 * list is one `invalid` problem with its file and line and does not load; the others still do. An
 * expired list loads, with a `notice`, in state `expired`: it stays visible but matches nothing.
 */
import type { RuleProblem } from '../rules/load.js';
import { issueProblem, lineOf, parseYaml } from '../rules/yaml-file.js';
import { compileIocList, IocListError, type IocList, type IocListState } from './list.js';
import { IocFileSchema } from './schema.js';

/** One file's name and text: a list (`.yaml`/`.yml`) or an indicators file (`.txt`). */
export interface IocSource {
  readonly file: string;
  readonly text: string;
}

/** A file that did not load (`invalid`), or one that loaded with something to say (`notice`). */
export interface IocProblem extends Omit<RuleProblem, 'kind'> {
  readonly kind: 'invalid' | 'notice';
}

/** The lists that loaded, in source order, and the problems. */
export interface LoadedIocLists {
  readonly lists: IocList[];
  readonly problems: IocProblem[];
}

/** Loads IOC lists; `now` decides expiry (a list matches through the whole of its `expires` day, UTC). */
export function loadIocLists(files: readonly IocSource[], now: Date): LoadedIocLists {
  const texts = new Map(files.filter((f) => f.file.endsWith('.txt')).map((f) => [f.file, f]));
  const lists: IocList[] = [];
  const problems: IocProblem[] = [];
  const byId = new Map<string, IocList>();
  for (const source of files) {
    if (source.file.endsWith('.txt')) continue;
    const result = loadOne(source, texts, now);
    if ('reason' in result) {
      problems.push(result);
      continue;
    }
    const { list, line } = result;
    const other = byId.get(list.id);
    if (other) {
      problems.push({ file: list.file, line, reason: `duplicate IOC list id "${list.id}" (also in ${other.file})`, kind: 'invalid' });
      continue;
    }
    byId.set(list.id, list);
    lists.push(list);
    if (list.state === 'expired') {
      problems.push({ file: list.file, line: result.expiresLine, reason: `IOC list "${list.id}" expired on ${list.expires}: it is loaded but matches nothing until its indicators are reviewed and the date moved`, kind: 'notice' });
    }
  }
  return { lists, problems };
}

function loadOne({ file, text }: IocSource, texts: ReadonlyMap<string, IocSource>, now: Date): { list: IocList; line: number; expiresLine: number } | IocProblem {
  const yaml = parseYaml(file, text);
  if ('reason' in yaml) return { ...yaml, kind: 'invalid' };
  const parsed = IocFileSchema.safeParse(yaml.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const unknown = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const problem = issueProblem(file, yaml, issue, '', '(IOC list)');
    return { ...problem, ...(unknown !== undefined && { line: lineOf(yaml.doc, yaml.counter, [...issue.path.map(String), unknown]) }), kind: 'invalid' };
  }
  const def = parsed.data;
  const line = (path: readonly (string | number)[]) => lineOf(yaml.doc, yaml.counter, path.map(String));
  const base = file.split(/[\\/]/).pop() ?? file;
  if (base !== `${def.ioc}.yaml` && base !== `${def.ioc}.yml`) return { file, line: line(['ioc']), reason: `file name must be ${def.ioc}.yaml to match the list id`, kind: 'invalid' };
  let indicators: IocSource | undefined;
  if (def.indicatorsFile) {
    const sibling = file.slice(0, file.length - base.length) + def.indicatorsFile;
    indicators = texts.get(sibling);
    if (!indicators) return { file, line: line(['indicatorsFile']), reason: `indicatorsFile ${def.indicatorsFile} was not given (expected ${sibling} beside the list)`, kind: 'invalid' };
  }
  const expired = def.expires !== undefined && now.getTime() >= Date.parse(`${def.expires}T00:00:00Z`) + 86_400_000;
  const state: IocListState = expired ? 'expired' : def.enabled ? 'active' : 'disabled';
  try {
    return { list: compileIocList(def, file, state, indicators), line: line(['ioc']), expiresLine: line(['expires']) };
  } catch (err) {
    if (!(err instanceof IocListError)) throw err;
    if (err.inText) return { file: err.inText.file, line: err.inText.line, reason: `${err.message} (indicators of IOC list ${def.ioc}, ${file})`, kind: 'invalid' };
    return { file, line: line(err.at), reason: `${err.at.join('.')}: ${err.message}`, kind: 'invalid' };
  }
}

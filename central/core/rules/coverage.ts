/**
 * Coverage: which MITRE ATT&CK techniques and Stratus Red Team techniques the active rules detect,
 * and which they do not. Checklists are data (rules/catalogues/); rules declare `mitre` and `stratus`.
 */
import { z } from 'zod';
import type { CompiledRule } from './rule.js';
import { STRATUS_ID } from './schema.js';

export const MitreCatalogueSchema = z
  .object({
    version: z.string(),
    tactics: z.array(z.object({ id: z.string().regex(/^TA\d{4}$/), name: z.string() }).strict()).min(1),
    techniques: z.record(z.string().regex(/^T\d{4}(\.\d{3})?$/), z.object({ name: z.string(), tactics: z.array(z.string().regex(/^TA\d{4}$/)).min(1), platforms: z.array(z.string()).optional() }).strict()),
  })
  .strict();
export type MitreCatalogue = z.infer<typeof MitreCatalogueSchema>;

export const StratusCatalogueSchema = z.object({ techniques: z.record(z.string().regex(STRATUS_ID), z.string()) }).strict();
export type StratusCatalogue = z.infer<typeof StratusCatalogueSchema>;

export interface TechniqueCoverage {
  readonly id: string;
  readonly name: string;
  /** Active rules that name the technique (or, for a parent technique, one of its sub-techniques). */
  readonly rules: string[];
  /** Staged rules that name it: listed apart, never counted as coverage. */
  readonly staged: string[];
}

export interface CoverageReport {
  readonly mitre: {
    readonly version: string;
    readonly tactics: Array<{ id: string; name: string; covered: number; total: number; techniques: TechniqueCoverage[] }>;
    readonly covered: number;
    readonly total: number;
    /** Ids rules use that the catalogue does not list (a typo, or a technique outside the checklist). */
    readonly unknown: Array<{ id: string; rules: string[] }>;
  };
  readonly stratus: {
    readonly techniques: Array<TechniqueCoverage & { covered: boolean }>;
    readonly covered: number;
    readonly total: number;
    /** Technique ids rules name that the catalogue does not list. */
    readonly unknown: Array<{ id: string; rules: string[] }>;
  };
  /** Rules counted apart: only active rules cover a technique; staged ones are listed by id. */
  readonly rules: { readonly active: number; readonly staged: number; readonly stagedIds: string[] };
}

export function coverage(rules: readonly CompiledRule[], mitre: MitreCatalogue, stratus: StratusCatalogue): CoverageReport {
  const active = rules.filter((r) => r.status === 'active');
  const staged = rules.filter((r) => r.status === 'staged');
  const withParents = (r: CompiledRule) => r.mitre.flatMap((id) => (id.includes('.') ? [id, id.split('.')[0]!] : [id]));
  const byMitre = index(active, withParents);
  const stagedMitre = index(staged, withParents);
  const techniques = (tacticId: string) =>
    Object.entries(mitre.techniques)
      .filter(([, t]) => t.tactics.includes(tacticId))
      .map(([id, t]) => ({ id, name: t.name, rules: [...(byMitre.get(id) ?? [])].sort(), staged: [...(stagedMitre.get(id) ?? [])].sort() }))
      .sort((a, b) => a.id.localeCompare(b.id));
  const tactics = mitre.tactics.map((t) => {
    const list = techniques(t.id);
    return { id: t.id, name: t.name, covered: list.filter((x) => x.rules.length).length, total: list.length, techniques: list };
  });
  const mitreIds = Object.keys(mitre.techniques);
  const usedMitre = index(rules, (r) => r.mitre);
  const byStratus = index(active, (r) => r.stratus);
  const stagedStratus = index(staged, (r) => r.stratus);
  const stratusList = Object.entries(stratus.techniques).map(([id, name]) => {
    const list = [...(byStratus.get(id) ?? [])].sort();
    return { id, name, rules: list, covered: list.length > 0, staged: [...(stagedStratus.get(id) ?? [])].sort() };
  });
  const usedStratus = index(rules, (r) => r.stratus);
  return {
    mitre: {
      version: mitre.version,
      tactics,
      covered: mitreIds.filter((id) => byMitre.has(id)).length,
      total: mitreIds.length,
      unknown: [...usedMitre].filter(([id]) => !(id in mitre.techniques)).map(([id, r]) => ({ id, rules: [...r].sort() })),
    },
    stratus: {
      techniques: stratusList,
      covered: stratusList.filter((t) => t.covered).length,
      total: stratusList.length,
      unknown: [...usedStratus].filter(([id]) => !(id in stratus.techniques)).map(([id, r]) => ({ id, rules: [...r].sort() })),
    },
    rules: { active: active.length, staged: staged.length, stagedIds: staged.map((r) => r.id).sort() },
  };
}

function index(rules: readonly CompiledRule[], keys: (r: CompiledRule) => readonly string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of rules) {
    for (const k of keys(r)) {
      let set = out.get(k);
      if (!set) out.set(k, (set = new Set()));
      set.add(r.id);
    }
  }
  return out;
}

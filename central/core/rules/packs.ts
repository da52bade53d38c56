/**
 * Rule packs: every rule names a pack, `rules/packs.yaml` says which packs run by default, and a
 * deployment turns packs on or off (`--enable-pack sigma`). A pack not declared there (a team's own
 * `custom` rules) runs unless disabled.
 */
import { z } from 'zod';
import { RULE_ID } from './schema.js';
import type { CompiledRule } from './rule.js';

export const PacksFileSchema = z
  .object({
    packs: z.record(z.string().regex(RULE_ID), z.object({ description: z.string().min(1), enabled: z.boolean() }).strict()),
  })
  .strict();
export type PacksFile = z.infer<typeof PacksFileSchema>;

/** Which packs to switch from their defaults. */
export interface PackChoice {
  readonly enable?: readonly string[];
  readonly disable?: readonly string[];
}

/** A pack and what the selection did with it. */
export interface PackState {
  readonly name: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly rules: number;
}

/** Keeps the rules of enabled packs; throws when a choice names a pack no rule or declaration knows. */
export function selectPacks(rules: readonly CompiledRule[], declared: PacksFile, choice: PackChoice = {}): { rules: CompiledRule[]; packs: PackState[] } {
  const names = new Set([...Object.keys(declared.packs), ...rules.map((r) => r.pack)]);
  for (const name of [...(choice.enable ?? []), ...(choice.disable ?? [])]) {
    if (!names.has(name)) throw new Error(`unknown pack "${name}" (known: ${[...names].sort().join(', ')})`);
  }
  const enabled = (name: string) =>
    choice.disable?.includes(name) ? false : choice.enable?.includes(name) ? true : (declared.packs[name]?.enabled ?? true);
  const packs = [...names].sort().map((name) => ({
    name,
    description: declared.packs[name]?.description ?? 'rules that name this pack',
    enabled: enabled(name),
    rules: rules.filter((r) => r.pack === name).length,
  }));
  return { rules: rules.filter((r) => enabled(r.pack)), packs };
}

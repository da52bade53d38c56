/** Reads suppression files and the organization description, for the CLI and tests. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadSuppressions, type LoadedSuppressions } from '../core/suppressions/load.js';
import type { AccountDirectory, AccountInfo } from '../core/suppressions/match.js';
import { parseYaml, problemLocation, YAML_LIMITS } from '../core/rules/load.js';
import { readRuleSources } from './rule-walk.js';

/** The suppressions that ship with Skywatch (an example, empty of real exceptions). */
export const DEFAULT_SUPPRESSIONS = fileURLToPath(new URL('../../rules/suppressions.yaml', import.meta.url));

/** Loads a suppressions file or folder (default: rules/suppressions.yaml; absent means none). */
export function loadSuppressionFiles(path: string = DEFAULT_SUPPRESSIONS): LoadedSuppressions {
  if (!existsSync(path)) return { suppressions: [], tests: new Map(), problems: [] };
  const { sources, problems } = readRuleSources([path], { maxBytes: YAML_LIMITS.maxSize });
  const loaded = loadSuppressions(sources);
  return { ...loaded, problems: [...problems, ...loaded.problems] };
}

const OrgFileSchema = z
  .object({
    accounts: z.array(
      z
        .object({
          id: z.string().regex(/^\d{12}$/),
          name: z.string().optional(),
          ous: z.array(z.string()).default([]),
          tags: z.record(z.string(), z.string()).default({}),
        })
        .strict(),
    ),
    /** The central security account: where correlation findings are filed. */
    securityAccount: z.string().regex(/^\d{12}$/).optional(),
    /** Its home region (default us-east-1). */
    homeRegion: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/).optional(),
  })
  .strict();

/** The organization file: account names, OUs and tags, and where correlation findings go. */
export interface OrganizationFile extends AccountDirectory {
  readonly home?: { readonly account: string; readonly region: string };
}

/**
 * The organization description file (`organization.yaml`/`.json`: accounts with their OU path and
 * tags), the local stand-in for AWS Organizations.
 */
export function loadOrganizationFile(path: string): OrganizationFile {
  const yaml = parseYaml(path, readFileSync(path, 'utf8'));
  if ('reason' in yaml) throw new Error(`${problemLocation(yaml)}: ${yaml.reason}`);
  const parsed = OrgFileSchema.safeParse(yaml.value);
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const byId = new Map<string, AccountInfo>(parsed.data.accounts.map((a) => [a.id, { name: a.name, ous: a.ous, tags: a.tags }]));
  const { securityAccount, homeRegion } = parsed.data;
  return { describe: (account) => byId.get(account), ...(securityAccount && { home: { account: securityAccount, region: homeRegion ?? 'us-east-1' } }) };
}

/** The organization file in a state folder, if one was written there (the demo writes one). */
export function organizationIn(stateDir: string): OrganizationFile | undefined {
  const path = join(stateDir, 'organization.yaml');
  return existsSync(path) ? loadOrganizationFile(path) : undefined;
}

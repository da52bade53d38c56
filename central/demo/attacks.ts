/**
 * Planted attacks: five short intrusions across five member accounts and both regions, by two
 * attackers. Each keeps one address and one tool and reuses them across accounts, as a real intruder
 * would; nothing correlates findings across accounts yet, so today each scenario stands alone. Every
 * scenario names the rule it must trigger.
 */
import type { PlantedScenario } from './campaign.js';
import { plantedCampaigns } from './campaigns.js';
import type { DemoOrganization } from './organization.js';
import type { Random } from './random.js';
import type { CloudTrailRecord } from './record.js';
import { HOUR } from './time.js';

/** The attackers and the scenario shape, re-exported for callers of plantAttacks. */
export { ATTACKERS, type DemoAttacker, type PlantedScenario } from './campaign.js';

/** The planted records (time-ordered) and the scenarios they make up. */
export interface PlantedAttacks {
  readonly scenarios: readonly PlantedScenario[];
  readonly records: readonly CloudTrailRecord[];
}

/** Plants every campaign, placed at the same fractions of the period whatever its length. */
export function plantAttacks(org: DemoOrganization, rng: Random, start: Date | number, days: number): PlantedAttacks {
  const t0 = typeof start === 'number' ? start : start.getTime();
  // Offsets are written for a 7-day week starting Monday 00:00 UTC and scaled to other lengths.
  const at = (hoursIntoWeek: number) => t0 + Math.round((hoursIntoWeek / 168) * days * 24 * HOUR);
  const campaigns = plantedCampaigns(org, rng.fork('attacks'), at);
  const records = campaigns.flatMap((c) => c.records).sort((a, b) => ((a.eventTime as string) < (b.eventTime as string) ? -1 : (a.eventTime as string) > (b.eventTime as string) ? 1 : 0));
  return { scenarios: campaigns.flatMap((c) => c.scenarios), records };
}

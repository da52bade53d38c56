/**
 * The benign traffic of the demo organization: a weighted mix of activities, scheduled over the days
 * with a working-day rhythm, yielded in time order. Pure (no I/O), so a benchmark can draw a million
 * records in memory and the writer can stream them to files.
 */
import { autoScalingChurn, lambdaAttachesToVpc, securityToolingReads } from './benign-compute.js';
import {
  configDescribes, configEvaluations, configIamAndKms, ecrLogin, guardDutyDescribes, kmsRotatesKey, lambdaLogStream, lambdaReadsSecret,
  s3UsesKms, serviceAssumesRole, ssmAgentCheckIn, trailEncryptsLogs, workloadReadsParameters,
} from './benign-automation.js';
import { poolsOf, type Activity } from './benign-kit.js';
import { consoleSession, cliSession, deniedRead, organizationReads, reportingJob } from './benign-people.js';
import { ciDeploy, terraformApply, terraformPlan } from './benign-pipeline.js';
import { hourlyLoad } from './calendar.js';
import type { DemoOrganization } from './organization.js';
import { WeightedPicker, type Random } from './random.js';
import type { CloudTrailRecord } from './record.js';
import { HOUR } from './time.js';

// How often each activity starts. Machine activities run around the clock; people (and the CI they
// trigger) only in the human share of each hour. Weights count starts, not events: a Terraform plan
// is one start and a dozen events.
const MACHINE: ReadonlyArray<readonly [Activity, number]> = [
  [serviceAssumesRole, 110],
  [s3UsesKms, 50],
  [lambdaLogStream, 60],
  [workloadReadsParameters, 40],
  [ssmAgentCheckIn, 45],
  [trailEncryptsLogs, 40],
  [configDescribes, 28],
  [configEvaluations, 25],
  [lambdaReadsSecret, 22],
  [guardDutyDescribes, 20],
  [ecrLogin, 15],
  [configIamAndKms, 15],
  [securityToolingReads, 12],
  [lambdaAttachesToVpc, 4],
  [autoScalingChurn, 2.5],
  [reportingJob, 2],
  [terraformPlan, 1.5],
  [kmsRotatesKey, 0.3],
];

const PEOPLE: ReadonlyArray<readonly [Activity, number]> = [
  [cliSession, 30],
  [consoleSession, 2.5],
  [ciDeploy, 3.5],
  [deniedRead, 1.5],
  [organizationReads, 1],
  [terraformPlan, 1.5],
  [terraformApply, 0.8],
];

const eventTimeOf = (r: CloudTrailRecord) => r.eventTime as string;
const byTime = (a: CloudTrailRecord, b: CloudTrailRecord) => (eventTimeOf(a) < eventTimeOf(b) ? -1 : eventTimeOf(a) > eventTimeOf(b) ? 1 : 0);

/**
 * Exactly `count` benign records over `days` from `start`, in eventTime order. Activities that run
 * past the end of their hour are held back and merged into the next, so order holds across hours.
 */
export function* benignRecords(org: DemoOrganization, rng: Random, count: number, start: Date | number, days: number): Generator<CloudTrailRecord> {
  const t0 = typeof start === 'number' ? start : start.getTime();
  const r = rng.fork('benign');
  const pools = poolsOf(org);
  const machine = new WeightedPicker(MACHINE);
  const people = new WeightedPicker(PEOPLE);
  let pending: CloudTrailRecord[] = [];
  let produced = 0;
  for (const hour of hourlyLoad(r.fork('calendar'), t0, days, count)) {
    const batch = pending;
    for (let made = 0; made < hour.events && produced < count; ) {
      const t = hour.start + r.int(HOUR);
      const activity = (r.next() < hour.humanShare ? people : machine).pick(r);
      for (const record of activity({ rng: r, org, pools, t })) {
        if (made >= hour.events) break;
        batch.push(record);
        made++;
        produced++;
      }
    }
    batch.sort(byTime);
    const end = new Date(hour.start + HOUR).toISOString().slice(0, 19) + 'Z';
    let split = batch.length;
    while (split > 0 && eventTimeOf(batch[split - 1]!) >= end) split--;
    for (let i = 0; i < split; i++) yield batch[i]!;
    pending = batch.slice(split);
  }
  yield* pending;
}

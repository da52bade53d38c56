/**
 * What one provisioning call costs, in units a baseline can add up: resources created times a
 * weight for their size. One small instance is 1; accelerated (GPU, Trainium, Inferentia, FPGA)
 * instances weigh 10 and very large ones 4, because a cryptominer or a stolen-credit training run
 * buys exactly those. The calls themselves are listed in the provisioning rules' `events`
 * (rules/cloudtrail/provisioning-volume-*.yaml, documented in docs/statistics.md).
 */
import type { SecurityEvent } from '../event.js';

/** Weight of an accelerated instance (GPU, ML accelerator, FPGA). */
export const ACCELERATED_WEIGHT = 10;
/** Weight of a very large or bare-metal instance. */
export const LARGE_WEIGHT = 4;

/** EC2 families with GPUs, ML accelerators or FPGAs (also as `ml.` and `db.` classes where they exist). */
const ACCELERATED = /^(?:ml\.)?(?:p[2-6][a-z]*|g[3-6][a-z]*|gr6|trn[12][a-z]*|inf[12]|dl[12][a-z]*|f[12]|vt1)\./;
/** Sizes from 12xlarge up, and metal. */
const LARGE = /\.(?:metal(?:-\d+xl)?|(?:1[2-9]|[2-9]\d|1\d\d)xlarge)$/;

/** The cost of one call: resources it created and their weighted units. */
export interface ProvisioningCost {
  readonly resources: number;
  readonly units: number;
  /** The instance or class type that set the weight, when one did. */
  readonly type?: string;
}

/** The weight of one resource of an instance type or class (`p4d.24xlarge`, `ml.g5.xlarge`, `db.r6i.16xlarge`). */
export function typeWeight(type: string | undefined): number {
  if (!type) return 1;
  const bare = type.startsWith('db.') || type.startsWith('cache.') ? type.slice(type.indexOf('.') + 1) : type;
  if (ACCELERATED.test(bare)) return ACCELERATED_WEIGHT;
  if (LARGE.test(bare)) return LARGE_WEIGHT;
  return 1;
}

/** The cost of a provisioning call; any call not known in detail counts one resource of weight 1. */
export function provisioningCost(event: SecurityEvent): ProvisioningCost {
  const request = record(event.raw.requestParameters);
  const response = record(event.raw.responseElements);
  switch (event.name) {
    case 'RunInstances': {
      const launched = items(record(response.instancesSet).items);
      const asked = items(record(request.instancesSet).items)[0];
      const resources = launched.length || count(record(asked).maxCount ?? record(asked).minCount) || 1;
      const type = text(request.instanceType) ?? text(record(launched[0]).instanceType);
      return weighed(resources, type);
    }
    case 'RequestSpotInstances':
      return weighed(count(request.instanceCount) || 1, text(record(request.launchSpecification).instanceType));
    case 'CreateFleet':
    case 'RequestSpotFleet':
      return weighed(count(record(request.targetCapacitySpecification).totalTargetCapacity ?? record(request.spotFleetRequestConfig).targetCapacity) || 1, undefined);
    case 'CreateNodegroup':
      return weighed(count(record(request.scalingConfig).desiredSize) || 1, text(items(request.instanceTypes)[0]));
    case 'RunTask':
      return weighed(count(request.count) || 1, undefined);
    case 'CreateAutoScalingGroup':
    case 'UpdateAutoScalingGroup':
      return weighed(count(request.desiredCapacity ?? request.maxSize) || 1, undefined);
    case 'CreateDBInstance':
      return weighed(1, text(request.dBInstanceClass));
    case 'CreateTrainingJob':
      return weighed(count(record(request.resourceConfig).instanceCount) || 1, text(record(request.resourceConfig).instanceType));
    case 'CreateNotebookInstance':
      return weighed(1, text(request.instanceType));
    default:
      return { resources: 1, units: 1 };
  }
}

function weighed(resources: number, type: string | undefined): ProvisioningCost {
  return { resources, units: resources * typeWeight(type), ...(type && { type }) };
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function items(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A resource count from the request: a positive whole number, at most 10,000 (no request asks for more). */
function count(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? Math.min(n, 10_000) : 0;
}

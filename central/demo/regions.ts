/** The demo organization's regions, in their own module so every demo file can share them. */

/** The regions the demo organization uses; IAM, STS and Organizations global events land in the first. */
export const DEMO_REGIONS = ['us-east-1', 'eu-west-1'] as const;
/** One of the demo regions. */
export type DemoRegion = (typeof DEMO_REGIONS)[number];

/** A region the demo organization never uses, where the planted cryptominer launches its fleet. */
export const UNUSED_REGION = 'ap-south-1' as const;
/** Any region a demo record may name: the used ones, and the unused one an attacker picks. */
export type TrailRegion = DemoRegion | typeof UNUSED_REGION;

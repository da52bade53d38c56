/** The demo organization's regions, in their own module so every demo file can share them. */

/** The regions the demo organization uses; IAM, STS and Organizations global events land in the first. */
export const DEMO_REGIONS = ['us-east-1', 'eu-west-1'] as const;
/** One of the demo regions. */
export type DemoRegion = (typeof DEMO_REGIONS)[number];

/**
 * The IOC list file format (`rules/ioc/*.yaml`, one list a file). Strict: an unknown key is an
 * error at its line, so a misspelt `cidr:` cannot silently drop a list's blocks. Indicator values
 * are checked (and regexes compiled) after this, in compile-list.ts. See docs/ioc.md.
 */
import { z } from 'zod';
import { SEVERITY_LABELS } from '../rules/schema.js';

/** A list id: lower-case words joined by hyphens; the file name is `<id>.yaml`. */
export const IOC_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A regex indicator: the pattern alone (named by its text) or with a short id to name it in hits. */
const RegexIndicator = z.union([
  z.string().min(1),
  z.strictObject({
    id: z.string().regex(IOC_ID, 'an id is lower-case words joined by hyphens'),
    pattern: z.string().min(1),
  }),
]);

/** An ASN as `AS14061` or `14061`. */
const Asn = z.union([z.number().int().min(0).max(4294967295), z.string().regex(/^AS\d{1,10}$/i, 'an ASN is written AS14061 or 14061')]);

const Indicators = z.strictObject({
  ips: z.array(z.string()).optional(),
  cidrs: z.array(z.string()).optional(),
  asns: z.array(Asn).optional(),
  uriRegexes: z.array(RegexIndicator).optional(),
  userAgentRegexes: z.array(RegexIndicator).optional(),
  domains: z.array(z.string()).optional(),
});

const Address = z.string().min(1);

/** A test record: the fields IOC matching reads from a flow, a WAF request or a CloudTrail event. */
const TestRecord = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('flow'), srcAddr: Address.optional(), dstAddr: Address.optional(), pktSrcAddr: Address.optional(), pktDstAddr: Address.optional() }),
  z.strictObject({ kind: z.literal('waf'), clientIp: Address, uri: z.string(), args: z.string().optional(), userAgent: z.string().optional() }),
  z.strictObject({ kind: z.literal('cloudtrail'), sourceIPAddress: z.string().optional(), userAgent: z.string().optional() }),
]);

const TestCase = z.strictObject({
  name: z.string().min(1),
  record: TestRecord,
  /** What the ASN lookup answers for this test's addresses, so ASN tests do not depend on downloaded data. */
  asnOf: z.record(z.string(), z.number().int().min(0)).optional(),
  expect: z.strictObject({ hits: z.array(z.string().regex(IOC_ID)) }),
});

/** One IOC list file. */
export const IocFileSchema = z
  .strictObject({
    ioc: z.string().regex(IOC_ID, 'an id is lower-case words joined by hyphens'),
    title: z.string().min(1),
    description: z.string().min(1).optional(),
    /** Who wrote or published the indicators. */
    source: z.string().min(1),
    licence: z.string().min(1),
    reference: z.string().url().optional(),
    /** The last day the list matches (UTC); after it the list loads with a notice and matches nothing. */
    expires: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is written YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a calendar date').optional(),
    severity: z.enum(SEVERITY_LABELS),
    /** How much a hit counts towards a finding when the same key is also anomalous. */
    weight: z.number().min(0).max(10).default(1),
    /** Optional packs ship disabled; a deployment enables them by id. */
    enabled: z.boolean().default(true),
    indicators: Indicators.default({}),
    /** A text file beside the list (`#` comments, one address or domain a line), e.g. a LOKI C2 file. */
    indicatorsFile: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)*\.txt$/, 'a path relative to the list, in its folder or below, ending .txt').optional(),
    tests: z.array(TestCase).default([]),
  });

/** A parsed IOC list file. */
export type IocFile = z.infer<typeof IocFileSchema>;
/** A test case of an IOC list file. */
export type IocTestCase = z.infer<typeof TestCase>;
/** A test record of an IOC list file. */
export type IocTestRecord = z.infer<typeof TestRecord>;

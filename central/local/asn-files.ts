/**
 * Reads the offline IP-to-ASN data of `@ip-location-db/asn` (RouteViews, the five RIRs via NRO,
 * and DB-IP; CC-BY-4.0: credit RouteViews, NRO and DB-IP.com wherever ASN results are shown) into
 * an AsnLookup. The files are found through the package's path, as the Lambda resolves them from
 * its bundle; pass other paths to use fresher files of the same format (the project's releases).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildAsnRanges, type AsnRanges } from '../core/ioc/asn-ranges.js';

/** The npm package the ASN data comes from. */
export const ASN_PACKAGE = '@ip-location-db/asn';

/** Where the IPv4 and IPv6 range CSVs are. */
export interface AsnDataPaths {
  readonly ipv4: string;
  readonly ipv6: string;
}

/** The CSV paths inside the installed package. */
export function packageAsnPaths(): AsnDataPaths {
  const require = createRequire(import.meta.url);
  return { ipv4: require.resolve(`${ASN_PACKAGE}/asn-ipv4.csv`), ipv6: require.resolve(`${ASN_PACKAGE}/asn-ipv6.csv`) };
}

/** Loads the ASN ranges (about a second and 15 MB of heap for the package's data; see docs/ioc.md). */
export function readAsnRanges(paths: AsnDataPaths = packageAsnPaths()): AsnRanges {
  return buildAsnRanges({
    ipv4: { file: paths.ipv4, text: readFileSync(paths.ipv4, 'utf8') },
    ipv6: { file: paths.ipv6, text: readFileSync(paths.ipv6, 'utf8') },
  });
}

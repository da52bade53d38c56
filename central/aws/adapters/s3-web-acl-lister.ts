/**
 * The web ACLs whose WAF logs the archive holds: the `WEBACL` folders under
 * `<prefix>AWSLogs/ACCOUNT/WAFLogs/REGION|cloudfront/`. `webacl` is an injected partition of the
 * Glue table (web ACLs come and go), so every Athena query over WAF logs must name them; listing the
 * folders is how the statistics function learns the names without a table of its own.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

/** Where WAF logs are delivered. */
export interface WebAclFolders {
  readonly client: S3Client;
  readonly bucket: string;
  /** The prefix before `AWSLogs/`, ending in `/` or empty. */
  readonly prefix: string;
  /** Member regions; `cloudfront` is added for global web ACLs. */
  readonly regions: readonly string[];
}

/** Lists the web ACL names delivering logs for the accounts, sorted and unique. */
export async function listWebAcls(folders: WebAclFolders, accounts: readonly string[]): Promise<string[]> {
  const names = new Set<string>();
  for (const account of accounts) {
    for (const region of [...folders.regions, 'cloudfront']) {
      const prefix = `${folders.prefix}AWSLogs/${account}/WAFLogs/${region}/`;
      let token: string | undefined;
      do {
        const page = await folders.client.send(new ListObjectsV2Command({ Bucket: folders.bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }));
        for (const p of page.CommonPrefixes ?? []) {
          const name = p.Prefix?.slice(prefix.length).replace(/\/$/, '');
          if (name) names.add(name);
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    }
  }
  return [...names].sort();
}

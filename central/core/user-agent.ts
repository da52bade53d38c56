/**
 * User-agent families: the tool or browser behind a call, without versions. A principal that always
 * signs in with Firefox on macOS and suddenly uses Chrome on Linux, or calls the API with
 * python-requests instead of Terraform, changed hands or tools; rules key first-seen checks on this.
 */

const TOOLS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^aws-internal\//i, 'aws-internal'],
  [/^(signin|console)\.amazonaws\.com$/i, 'aws-console'],
  [/^[a-z0-9-]+\.amazonaws\.com$/i, 'aws-service'],
  [/\bTerraform\//i, 'terraform'],
  [/\bPulumi\b/i, 'pulumi'],
  [/\baws-cdk\b|\bCDK\b/, 'aws-cdk'],
  [/^aws-cli\//i, 'aws-cli'],
  [/\bBoto3\//i, 'boto3'],
  [/\bBotocore\//i, 'botocore'],
  [/^aws-sdk-go-v2\//i, 'aws-sdk-go-v2'],
  [/^aws-sdk-go\//i, 'aws-sdk-go'],
  [/^aws-sdk-java\//i, 'aws-sdk-java'],
  [/^aws-sdk-js\/|^aws-sdk-nodejs\//i, 'aws-sdk-js'],
  [/^aws-sdk-dotnet/i, 'aws-sdk-dotnet'],
  [/^aws-sdk-rust/i, 'aws-sdk-rust'],
  [/^aws-sdk-ruby/i, 'aws-sdk-ruby'],
  [/^aws-sdk-php/i, 'aws-sdk-php'],
  [/^AWSPowerShell|^AWS\.Tools/i, 'aws-powershell'],
  [/^python-requests\//i, 'python-requests'],
  [/^curl\//i, 'curl'],
  [/^Go-http-client\//i, 'go-http-client'],
  [/^S3 Browser/i, 's3-browser'],
  [/^Cyberduck\//i, 'cyberduck'],
  [/^rclone\//i, 'rclone'],
];

const BROWSERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\bOPR\//, 'Opera'],
  [/\bFirefox\//, 'Firefox'],
  [/\bChrome\//, 'Chrome'],
  [/\bSafari\//, 'Safari'],
];

const SYSTEMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(iPhone|iPad)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bLinux\b/, 'Linux'],
];

/** User agents repeat heavily within an organization; classify each distinct one once. */
const CACHE_LIMIT = 10_000;
const cache = new Map<string, string | undefined>();

/** `Chrome on Windows`, `aws-cli`, `terraform`...; undefined without a user agent. */
export function userAgentFamily(userAgent: string | undefined): string | undefined {
  if (!userAgent) return undefined;
  if (cache.has(userAgent)) return cache.get(userAgent);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  const family = classify(userAgent);
  cache.set(userAgent, family);
  return family;
}

function classify(userAgent: string): string | undefined {
  const ua = userAgent.replace(/^\[|\]$/g, '');
  for (const [pattern, family] of TOOLS) if (pattern.test(ua)) return family;
  if (/^Mozilla\//.test(ua)) {
    const browser = BROWSERS.find(([p]) => p.test(ua))?.[1] ?? 'browser';
    const system = SYSTEMS.find(([p]) => p.test(ua))?.[1] ?? 'unknown system';
    return `${browser} on ${system}`;
  }
  return ua.split(/[\s/]/)[0]!.toLowerCase() || undefined;
}

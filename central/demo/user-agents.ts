/**
 * User agents as CloudTrail records them. Versions are pinned to what was current in late 2026's
 * tooling lineage so the logs read like a real trail rather than "test-agent".
 */

/** The AWS CLI v2 user agent for one command (`md/command#ec2.describe-instances`). */
export function awsCli(base: string, command: string): string {
  return `${base} md/command#${command}`;
}

/** What a person's AWS CLI sends before the command suffix. */
export const CLI_BASES = {
  macos: 'aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.7 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off',
  linux: 'aws-cli/2.21.3 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-48-generic md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off',
  windows: 'aws-cli/2.22.0 md/awscrt#0.22.0 ua/2.0 os/windows#10 md/arch#amd64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off',
} as const;

/** Browsers people sign in to the console with. */
export const BROWSERS = {
  chromeMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  firefoxLinux: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
  edgeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
} as const;

/** Terraform with the hashicorp/aws provider, calling one API group. */
export function terraform(api: string): string {
  return (
    'APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.76.0 ' +
    `(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.4 ua/2.1 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64 api/${api}`
  );
}

/** aws-actions/configure-aws-credentials on a GitHub-hosted runner (JavaScript SDK v3). */
export const GITHUB_CONFIGURE_CREDENTIALS =
  'aws-sdk-js/3.693.0 ua/2.1 os/linux#6.5.0-1025-azure lang/js md/nodejs#20.18.0 api/sts#3.693.0 m/E,N configure-aws-credentials-for-github-actions';

/** The AWS CLI inside a GitHub Actions job. */
export const GITHUB_RUNNER_CLI =
  'aws-cli/2.22.2 md/awscrt#0.22.0 ua/2.0 os/linux#6.5.0-1025-azure md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off';

/** A Node.js Lambda function using the bundled SDK v3. */
export function lambdaNode(api: string): string {
  return `aws-sdk-js/3.654.0 ua/2.1 os/linux#5.10.227-239.884.amzn2.x86_64 lang/js md/nodejs#20.18.0 api/${api} exec-env/AWS_Lambda_nodejs20.x m/E`;
}

/** A Python Lambda function using its runtime's Boto3. */
export const LAMBDA_PYTHON =
  'Boto3/1.34.145 md/Botocore#1.34.145 ua/2.0 os/linux#5.10.227-239.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.7 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.145';

/** A Go service on EC2 (aws-sdk-go-v2). */
export function goService(api: string): string {
  return `aws-sdk-go-v2/1.32.4 ua/2.1 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64 api/${api}`;
}

/** The SSM agent on an instance. */
export const SSM_AGENT = 'aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) amazon-ssm-agent/3.3.1142.0';

/** The reporting job that still runs with a legacy IAM user's access keys. */
export const REPORTING_JOB =
  'Boto3/1.34.162 md/Botocore#1.34.162 ua/2.0 os/linux#5.15.0-1057-aws md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.162';

/** What the console's own backend calls show. */
export const AWS_INTERNAL = 'AWS Internal';

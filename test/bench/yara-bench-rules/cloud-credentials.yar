/*
 * Benchmark and parity rules: harvesting AWS credentials from the instance metadata service, the
 * ECS credentials endpoint and credentials files.
 * Each rule has a planted sample and a near miss in test/support/yara-corpus.ts.
 */

rule Bench_Cloud_IMDS_Credential_Harvest : cloud aws credential_access
{
   meta:
      description = "Downloads role credentials from the EC2 instance metadata service"
      author = "Skywatch"
      severity = "HIGH"
      reference = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html"
   strings:
      $path = "169.254.169.254/latest/meta-data/iam/security-credentials/" ascii wide
      $fetch = /(curl|wget)\s+(-[a-zA-Z]+\s+)*(https?:\/\/)?169\.254\.169\.254/
   condition:
      $path and $fetch
}

rule Bench_Cloud_IMDSv2_Token_Credentials : cloud aws credential_access
{
   meta:
      description = "Takes an IMDSv2 session token, then reads role credentials"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $ttl = "X-aws-ec2-metadata-token-ttl-seconds" ascii nocase
      $token = "/latest/api/token" ascii
      $creds = "/latest/meta-data/iam/security-credentials" ascii
   condition:
      all of them
}

rule Bench_Cloud_ECS_Task_Credentials : cloud aws credential_access
{
   meta:
      description = "Reads container credentials from the ECS task credentials endpoint"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $endpoint = "169.254.170.2" ascii fullword
      $uri = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" ascii wide
   condition:
      $endpoint and $uri
}

rule Bench_Cloud_AWS_Access_Key_Pair : cloud aws secret
{
   meta:
      description = "An access key id next to a 40-character secret access key"
      author = "Skywatch"
      severity = "CRITICAL"
   strings:
      $id = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/
      $secret = /aws_secret_access_key\s*=\s*[A-Za-z0-9\/+]{40}/ nocase
   condition:
      $id and $secret
}

rule Bench_Cloud_IMDS_Obfuscated_Address : cloud aws evasion
{
   meta:
      description = "The metadata service address written as one decimal, hex or octal number"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $dec = "http://2852039166/" ascii
      $hex = "http://0xa9fea9fe/" ascii nocase
      $oct = "http://0251.0376.0251.0376/" ascii
   condition:
      any of them
}

rule Bench_Cloud_IMDS_Base64 : cloud aws obfuscation
{
   meta:
      description = "A base64-encoded command that reaches the instance metadata service"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $b64 = "169.254.169.254/latest/meta-data" base64
   condition:
      $b64
}

rule Bench_Cloud_AWS_Credentials_File_Exfil : cloud aws exfiltration
{
   meta:
      description = "Uploads a shared credentials file right after naming an upload command"
      author = "Skywatch"
      severity = "CRITICAL"
   strings:
      $file = /(~|\$HOME|\/root|\/home\/[a-z_][a-z0-9_\-]{0,31})\/\.aws\/credentials/
      $up1 = "aws s3 cp " ascii
      $up2 = "curl -F " ascii
      $up3 = "--data-binary @" ascii
   condition:
      $file and for any of ($up*) : ( $ in (@file[1] - 64 .. @file[1]) )
}

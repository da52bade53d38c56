/*
  What attackers leave in cloud storage: miner configurations, scripts that harvest instance
  credentials, and ransom notes. Written for Skywatch.
*/

rule Skywatch_Cryptominer_Config
{
  meta:
    description = "Cryptocurrency miner configuration or command line (stratum pool and miner settings)"
    author = "Skywatch"
    severity = "HIGH"
    finding_type = "TTPs/Impact/Resource hijacking"
  strings:
    $stratum = /stratum\+(tcp|ssl|tls):\/\/[A-Za-z0-9.\-]{3,253}:\d{2,5}/ nocase
    $xmrig1 = "\"donate-level\"" ascii
    $xmrig2 = "\"randomx\"" ascii
    $xmrig3 = "--donate-level" ascii
    // Anchored on the option that carries it: a bare 95-character address has no good atom to search for.
    $wallet = /(--user[= ]|-u )4[0-9AB][1-9A-HJ-NP-Za-km-z]{93}\b/
  condition:
    $stratum or ($xmrig1 and $xmrig2) or ($xmrig3 and $wallet)
}

rule Skywatch_Instance_Credential_Harvesting
{
  meta:
    description = "Script that reads instance role credentials from the metadata service and sends them out"
    author = "Skywatch"
    severity = "HIGH"
    finding_type = "TTPs/Credential Access/Instance metadata"
  strings:
    $imds = "169.254.169.254/latest/meta-data/iam/security-credentials" ascii
    $ecs = "169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" ascii
    $send1 = /curl\s+[^\n]{0,200}(-d|--data|--data-binary|-F|-T|--upload-file)\s/
    $send2 = /\b(requests\.post|urllib\.request\.urlopen|Invoke-WebRequest|nc\s+\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})/
  condition:
    ($imds or $ecs) and ($send1 or $send2)
}

rule Skywatch_Ransom_Note
{
  meta:
    description = "Ransom note: encrypted-files wording with a payment or contact channel"
    author = "Skywatch"
    severity = "CRITICAL"
    finding_type = "TTPs/Impact/Data encrypted for impact"
  strings:
    $w1 = "your files have been encrypted" nocase ascii wide
    $w2 = "all your files are encrypted" nocase ascii wide
    $w3 = "your data has been encrypted" nocase ascii wide
    $w4 = "to decrypt your files" nocase ascii wide
    $pay1 = "bitcoin" nocase ascii wide
    $pay2 = /[a-z2-7]{56}\.onion/ nocase ascii wide
    $pay3 = "monero" nocase ascii wide
  condition:
    any of ($w*) and any of ($pay*) and filesize < 100KB
}

rule Skywatch_Authorized_Keys_Injection
{
  meta:
    description = "Script that appends an SSH public key to authorized_keys (persistence)"
    author = "Skywatch"
    severity = "MEDIUM"
    finding_type = "TTPs/Persistence/SSH authorized keys"
  strings:
    $append = /echo\s+["']?(ssh-(rsa|ed25519)|ecdsa-sha2-nistp\d{3})\s+AAAA[0-9A-Za-z+\/]{40,}[^\n]{0,200}>>\s*[~\/$A-Za-z_{}.]*\.ssh\/authorized_keys/
  condition:
    $append
}

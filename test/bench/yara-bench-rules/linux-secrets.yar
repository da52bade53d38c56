/*
 * Benchmark and parity rules: private keys, password hashes, cron persistence and browser
 * credential theft.
 * Each rule has a planted sample and a near miss in test/support/yara-corpus.ts.
 */

rule Bench_Private_Key_File : secret
{
   meta:
      description = "A file that starts with a PEM or OpenSSH private key"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $openssh = "-----BEGIN OPENSSH PRIVATE KEY-----" ascii
      $rsa = "-----BEGIN RSA PRIVATE KEY-----" ascii
      $ec = "-----BEGIN EC PRIVATE KEY-----" ascii
   condition:
      for any of them : ( $ at 0 )
}

rule Bench_Shadow_File_Copy : secret linux credential_access
{
   meta:
      description = "A copy of /etc/shadow: starts with root's crypt(3) hash"
      author = "Skywatch"
      severity = "CRITICAL"
   strings:
      $root = /^root:\$(1|5|6|y)\$[a-zA-Z0-9.\/]{1,16}\$[a-zA-Z0-9.\/]{22,86}:[0-9]{0,5}:/
   condition:
      $root
}

rule Bench_Cron_Curl_Pipe_Shell : linux persistence
{
   meta:
      description = "crontab line that pipes a download into a shell"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $cron = /\*\/[0-9]{1,2} \* \* \* \* (root )?(curl|wget)[^|\n]{1,200}\|\s*(ba)?sh/
   condition:
      $cron
}

rule Bench_Browser_Credential_Theft : stealer windows credential_access
{
   meta:
      description = "Reads a Chromium password store and its DPAPI-protected key"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $chrome = "\\Google\\Chrome\\User Data\\Default\\Login Data" ascii wide nocase
      $edge = "\\Microsoft\\Edge\\User Data\\Default\\Login Data" ascii wide nocase
      $key = "encrypted_key" ascii wide
      $dpapi = "CryptUnprotectData" ascii wide
   condition:
      1 of ($chrome, $edge) and $key and $dpapi
}

/*
 * Benchmark and parity rules: ransomware notes, recovery sabotage and embedded keys.
 * Each rule has a planted sample and a near miss in test/support/yara-corpus.ts.
 */

rule Bench_Ransom_Note : ransomware
{
   meta:
      description = "Ransom note with payment and onion contact details, ASCII or UTF-16"
      author = "Skywatch"
      severity = "CRITICAL"
   strings:
      $encrypted = "your files have been encrypted" ascii wide nocase
      $bitcoin = "bitcoin" ascii wide nocase fullword
      $onion = /[a-z2-7]{56}\.onion/ ascii wide
      $decrypt = "decrypt" ascii wide nocase
   condition:
      3 of them
}

rule Bench_Ransom_Shadow_Copy_Deletion : ransomware windows
{
   meta:
      description = "Deletes shadow copies and disables recovery"
      author = "Skywatch"
      severity = "CRITICAL"
   strings:
      $vss = "vssadmin delete shadows /all /quiet" ascii wide nocase
      $wmic = "wmic shadowcopy delete" ascii wide nocase
      $bcd = "bcdedit /set {default} recoveryenabled no" ascii wide nocase
      $wbadmin = "wbadmin delete catalog -quiet" ascii wide nocase
   condition:
      2 of them
}

rule Bench_Ransom_RSA_Public_Key_Blob : ransomware crypto
{
   meta:
      description = "CryptoAPI PUBLICKEYBLOB holding a 2048 or 4096-bit RSA key"
      author = "Skywatch"
      severity = "MEDIUM"
   strings:
      $blob = { 06 02 00 00 00 A4 00 00 52 53 41 31 ( 00 08 | 00 10 ) 00 00 01 00 01 00 }
   condition:
      $blob and filesize < 4MB
}

rule Bench_Ransom_S3_Extortion_Note : ransomware cloud aws
{
   meta:
      description = "Short extortion note left in a bucket after its objects were copied out"
      author = "Skywatch"
      severity = "CRITICAL"
   strings:
      $copied = "your data has been downloaded" ascii nocase
      $bucket = "s3 bucket" ascii nocase
      $wallet = /BTC (wallet|address):?\s+(bc1|[13])[a-zA-HJ-NP-Z0-9]{25,62}/
      $deadline = "within 48 hours" ascii nocase
   condition:
      filesize < 64KB and all of them
}

/*
 * Benchmark and parity rules: cryptocurrency miners and their configuration.
 * Each rule has a planted sample and a near miss in test/support/yara-corpus.ts.
 */

rule Bench_Miner_Stratum_Pool_URL : miner
{
   meta:
      description = "Stratum mining pool address with a port"
      author = "Skywatch"
      severity = "MEDIUM"
   strings:
      $pool = /stratum\+(tcp|ssl|tls):\/\/[a-z0-9.\-]{4,64}:[0-9]{2,5}/ nocase
   condition:
      $pool
}

rule Bench_Miner_XMRig_Config : miner config
{
   meta:
      description = "XMRig JSON configuration"
      author = "Skywatch"
      severity = "MEDIUM"
   strings:
      $a = "\"donate-level\":" ascii
      $b = "\"randomx\":" ascii
      $c = "\"coin\": \"monero\"" ascii nocase
      $d = "\"nicehash\":" ascii
      $e = "\"rig-id\":" ascii
   condition:
      filesize < 512KB and 3 of them
}

rule Bench_Miner_Monero_Wallet : miner
{
   meta:
      description = "Standard Monero wallet address given as the miner's user"
      author = "Skywatch"
      severity = "MEDIUM"
   strings:
      $wallet = /(--user[= ]|-u |"user": ")4[0-9AB][1-9A-HJ-NP-Za-km-z]{93}/ fullword
   condition:
      $wallet
}

rule Bench_Miner_Competitor_Killer : miner linux
{
   meta:
      description = "Script that kills competing miners and wipes crontabs"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $kill = "pkill -9 -f" ascii
      $cron = "crontab -r" ascii
   condition:
      #kill > 3 and $cron
}

rule Bench_Miner_XOR_Stratum : miner obfuscation
{
   meta:
      description = "Stratum URL hidden with a single-byte XOR key"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $xored = "stratum+tcp://" xor(0x01-0xff)
   condition:
      $xored
}

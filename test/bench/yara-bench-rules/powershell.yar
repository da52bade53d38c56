/*
 * Benchmark and parity rules: PowerShell download cradles, encoded commands and AMSI tampering.
 * Each rule has a planted sample and a near miss in test/support/yara-corpus.ts.
 */

rule Bench_PowerShell_EncodedCommand : powershell windows execution
{
   meta:
      description = "powershell started with a long -EncodedCommand argument"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $enc = /powershell(\.exe)?\s[^\n]{0,60}\s-e(nc|ncodedcommand)?\s+[A-Za-z0-9+\/]{60,}={0,2}/ nocase
   condition:
      $enc
}

rule Bench_PowerShell_Download_Cradle : powershell windows
{
   meta:
      description = "Downloads a script with WebClient and runs it with Invoke-Expression"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $short = "(New-Object Net.WebClient).DownloadString(" ascii wide nocase
      $long = "(New-Object System.Net.WebClient).DownloadString(" ascii wide nocase
      $iex = /\b(iex|Invoke-Expression)\b/ nocase
   condition:
      ($short or $long) and $iex
}

rule Bench_PowerShell_Base64_UTF16_Cradle : powershell obfuscation
{
   meta:
      description = "UTF-16 DownloadString or Invoke-Expression inside base64, as -EncodedCommand carries it"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $download = "D\x00o\x00w\x00n\x00l\x00o\x00a\x00d\x00S\x00t\x00r\x00i\x00n\x00g\x00" base64
      $iex = "I\x00n\x00v\x00o\x00k\x00e\x00-\x00E\x00x\x00p\x00r\x00e\x00s\x00s\x00i\x00o\x00n\x00" base64
   condition:
      any of them
}

rule Bench_PowerShell_AMSI_Bypass : powershell defense_evasion
{
   meta:
      description = "Sets amsiInitFailed through reflection to switch off AMSI"
      author = "Skywatch"
      severity = "CRITICAL"
   strings:
      $utils = "System.Management.Automation.AmsiUtils" ascii wide nocase
      $field = "amsiInitFailed" ascii wide nocase
      $reflect = "GetField(" ascii wide nocase
   condition:
      all of them
}

rule Bench_PowerShell_Char_Obfuscation : powershell obfuscation
{
   meta:
      description = "A command rebuilt from more than twenty [char] casts and joined"
      author = "Skywatch"
      severity = "MEDIUM"
   strings:
      $cast = "[char]" ascii nocase
      $join = "-join" ascii nocase
   condition:
      #cast > 20 and $join
}

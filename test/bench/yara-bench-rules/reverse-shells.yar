/*
 * Benchmark and parity rules: reverse shell one-liners in scripts, notes and shell histories.
 * Each rule has a planted sample and a near miss in test/support/yara-corpus.ts.
 */

rule Bench_RevShell_Bash_Dev_Tcp : reverse_shell linux
{
   meta:
      description = "Interactive bash redirected to a /dev/tcp socket"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $a = /bash\s+-i\s+>&\s*\/dev\/tcp\/[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\/[0-9]{2,5}\s+0>&1/
   condition:
      $a
}

rule Bench_RevShell_Python_Pty : reverse_shell python
{
   meta:
      description = "Python socket duplicated onto stdio with a pty shell"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $s1 = "socket.socket(socket.AF_INET,socket.SOCK_STREAM)" ascii
      $s2 = "os.dup2(s.fileno(),0)" ascii
      $s3 = "pty.spawn(\"/bin/bash\")" ascii
      $s4 = "pty.spawn(\"/bin/sh\")" ascii
   condition:
      $s1 and $s2 and 1 of ($s3, $s4)
}

rule Bench_RevShell_Netcat_Exec : reverse_shell linux
{
   meta:
      description = "netcat or ncat handing a shell to a remote address"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $exec_first = /\bnc(at)?(\.traditional)?\s+-e\s+\/bin\/(ba)?sh\s+[0-9.]{7,15}\s+[0-9]{2,5}/
      $addr_first = /\bnc(at)?\s+[0-9.]{7,15}\s+[0-9]{2,5}\s+-e\s+\/bin\/(ba)?sh/
   condition:
      any of them
}

rule Bench_RevShell_Perl_Socket : reverse_shell perl
{
   meta:
      description = "Perl socket with stdin redirected and an interactive shell"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $use = "use Socket;" ascii
      $dup = "open(STDIN,\">&S\");" ascii
      $exec = "exec(\"/bin/sh -i\");" ascii
   condition:
      all of them
}

rule Bench_RevShell_PowerShell_TcpClient : reverse_shell powershell windows
{
   meta:
      description = "PowerShell TCP client that runs what it receives"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $client = "New-Object System.Net.Sockets.TCPClient(" ascii wide nocase
      $stream = ".GetStream()" ascii wide
      $iex = "(iex $data 2>&1" ascii wide nocase
   condition:
      all of them
}

rule Bench_RevShell_Socat_Pty : reverse_shell linux
{
   meta:
      description = "socat giving a full pty login shell to a remote TCP address"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $exec = "exec:'bash -li',pty,stderr,setsid,sigint,sane" ascii
      $tcp = /tcp[46]?:[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}:[0-9]{2,5}/
   condition:
      $exec and $tcp
}

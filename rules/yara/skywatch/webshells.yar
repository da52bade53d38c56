/*
  Web shells dropped in buckets that serve or deploy web content. Written for Skywatch from the
  behaviour of public web shells: request input reaching an evaluator or a process.
*/

rule Skywatch_Webshell_PHP_Eval_Request
{
  meta:
    description = "PHP web shell: request input passed to eval, assert or a shell function"
    author = "Skywatch"
    severity = "HIGH"
    finding_type = "TTPs/Persistence/Web shell"
  strings:
    $php = "<?php" nocase
    $eval = /\b(eval|assert|system|shell_exec|passthru|popen|proc_open)\s*\(\s*(base64_decode\s*\(\s*|gzinflate\s*\(\s*|str_rot13\s*\(\s*|stripslashes\s*\(\s*)*\$_(POST|GET|REQUEST|COOKIE|SERVER)\b/ nocase
  condition:
    $php and $eval
}

rule Skywatch_Webshell_PHP_Obfuscated_Loader
{
  meta:
    description = "PHP loader: eval of decoded and inflated data, as packed web shells do"
    author = "Skywatch"
    severity = "HIGH"
    finding_type = "TTPs/Persistence/Web shell"
  strings:
    $php = "<?php" nocase
    $loader = /\beval\s*\(\s*(gzinflate|gzuncompress|gzdecode|str_rot13)\s*\(\s*base64_decode\s*\(/ nocase
  condition:
    $php and $loader
}

rule Skywatch_Webshell_JSP_Exec
{
  meta:
    description = "JSP web shell: a request parameter run as a command"
    author = "Skywatch"
    severity = "HIGH"
    finding_type = "TTPs/Persistence/Web shell"
  strings:
    $exec = "Runtime.getRuntime().exec(" ascii
    $param = "request.getParameter(" ascii
    $jsp = "<%" ascii
  condition:
    $jsp and $exec and $param and filesize < 200KB
}

rule Skywatch_Webshell_ASPX_Process
{
  meta:
    description = "ASPX web shell: a request value started as a process"
    author = "Skywatch"
    severity = "HIGH"
    finding_type = "TTPs/Persistence/Web shell"
  strings:
    $page = "<%@ Page" nocase
    $proc = "Process.Start(" nocase
    $psi = "ProcessStartInfo" nocase
    $req = /Request(\.Form|\.QueryString|\.Params)?\[/ nocase
  condition:
    $page and ($proc or $psi) and $req and filesize < 200KB
}

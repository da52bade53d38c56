/*
 * Benchmark and parity rules: web shells uploaded to a bucket that serves a website.
 * Each rule has a planted sample and a near miss in test/support/yara-corpus.ts.
 */

rule Bench_Webshell_PHP_Eval_Request : webshell php
{
   meta:
      description = "PHP file that evaluates a request parameter near its start"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $php = "<?php" nocase
      $eval = /(eval|assert)\s*\(\s*\$_(POST|GET|REQUEST|COOKIE)\[/
   condition:
      $php in (0..1024) and $eval
}

rule Bench_Webshell_PHP_Obfuscated_Payload : webshell php obfuscation
{
   meta:
      description = "PHP payload unpacked by chained decoding functions"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $a = "eval(base64_decode(" nocase
      $b = "gzinflate(" nocase
      $c = "str_rot13(" nocase
      $d = "gzuncompress(" nocase
   condition:
      filesize < 1MB and 2 of them
}

rule Bench_Webshell_JSP_Runtime_Exec : webshell jsp
{
   meta:
      description = "JSP page that runs a command taken from a request parameter"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $page = "<%@ page import=\"java.io.*" ascii
      $exec = "Runtime.getRuntime().exec(request.getParameter(" ascii
      $out = "getInputStream()" ascii
   condition:
      all of them
}

rule Bench_Webshell_ASPX_Process_Start : webshell aspx windows
{
   meta:
      description = "ASP.NET page that starts cmd.exe with a posted value"
      author = "Skywatch"
      severity = "HIGH"
   strings:
      $start = "Process.Start(" ascii wide
      $form = "Request.Form[" ascii wide
      $cmd = "cmd.exe" ascii wide nocase fullword
   condition:
      all of them
}

rule Bench_Webshell_China_Chopper : webshell aspx
{
   meta:
      description = "China Chopper one-line ASPX server in a small file"
      author = "Skywatch"
      severity = "CRITICAL"
      reference = "https://attack.mitre.org/software/S0020/"
   strings:
      $aspx = /<%@\s*Page\s+Language="Jscript"\s*%><%\s*eval\(Request\.Item\["[A-Za-z0-9_]{1,16}"\],\s*"unsafe"\);\s*%>/
   condition:
      $aspx and filesize < 64KB
}

import { describe, expect, it } from 'vitest';
import { loadIocLists } from '../../../central/core/ioc/load.js';
import { described, listFile, matcherOf, NOW } from './lists.js';

describe('matching URIs and user agents against regexes', () => {
  it('names a regex hit by its id, or by its pattern when it has none, and never by the text it matched', () => {
    const m = matcherOf({ probes: "  uriRegexes:\n    - { id: dotenv, pattern: '/\\.env$' }\n    - 'wp-login\\.php'" });
    expect(described(m.matchUri('/app/.env?token=secret-value'))).toEqual([]);
    expect(described(m.matchUri('/app/.env'))).toEqual(['probes uri-regex dotenv uri']);
    expect(described(m.matchUri('/blog/wp-login.php'))).toEqual(['probes uri-regex wp-login\\.php uri']);
  });

  it('matches a WAF request on its path, query string and user agent, each as its own field', () => {
    const m = matcherOf({ probes: "  uriRegexes: ['(?i)\\$\\{jndi:']\n  userAgentRegexes: [{ id: nuclei, pattern: '(?i)nuclei' }]" });
    const hits = m.matchWaf({ clientIp: '192.0.2.10', uri: '/${jndi:ldap://x}', args: 'q=${JNDI:dns://y}', userAgent: 'Nuclei - Open-source project' });
    expect(described(hits)).toEqual(['probes uri-regex (?i)\\$\\{jndi: uri', 'probes uri-regex (?i)\\$\\{jndi: args', 'probes user-agent-regex nuclei userAgent']);
  });

  it('matches a CloudTrail event on its user agent', () => {
    const m = matcherOf({ tools: "  userAgentRegexes: ['Nmap Scripting Engine']" });
    expect(described(m.matchEvent({ sourceIp: 'ec2.amazonaws.com', userAgent: 'Mozilla/5.0 (compatible; Nmap Scripting Engine)' }))).toEqual(['tools user-agent-regex Nmap Scripting Engine userAgent']);
  });

  it('runs a pattern that would backtrack catastrophically in linear time, because it runs on RE2', () => {
    const m = matcherOf({ evil: "  userAgentRegexes: ['^(a+)+$']" });
    const started = Date.now();
    // A backtracking engine takes about 2^40 steps here.
    expect(m.matchUserAgent(`${'a'.repeat(40)}!`)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses lookaround, which RE2 cannot run, naming the file and line of the pattern', () => {
    const { lists, problems } = loadIocLists([listFile('lookahead', "  userAgentRegexes:\n    - ok\n    - 'curl(?!/7)'")], NOW);
    expect(lists).toEqual([]);
    expect(problems).toEqual([
      {
        file: 'rules/ioc/lookahead.yaml',
        line: 9,
        reason: 'indicators.userAgentRegexes.1: invalid regex "curl(?!/7)": negative lookahead "(?!" is not supported: rule regexes run on RE2, in linear time, which has no lookaround or backreferences',
        kind: 'invalid',
      },
    ]);
  });
});

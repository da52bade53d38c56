/**
 * The planted attacks only WAF logs show: credential stuffing against the web site's login, and two
 * vulnerability scanners walking the payments site for exposed files.
 */
import type { Random } from '../random.js';
import { MINUTE } from '../time.js';
import { attackKind, NETWORK_ATTACKERS, SCANNER_USER_AGENTS } from './attack-plan.js';
import { planting, type PlantedRequest, type Planting } from './planted.js';
import type { WebAcl } from './waf-acls.js';
import { ALLOWED, managedBlock, rateBlock, type WafRequest } from './waf-format.js';

// Stuffing tools send a browser's user agent, usually a stale one.
const STUFFER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36';
const SQLI_BLOCK = managedBlock('AWSManagedRulesSQLiRuleSet', 'SQLi_QUERYARGUMENTS', 'awswaf:managed:aws:sql-database:SQLi_QueryArguments');
const NUCLEI_PATHS = [
  '/.env', '/.git/config', '/wp-login.php', '/.aws/credentials', '/.env.production', '/.git/HEAD', '/config.json', '/server-status',
  '/phpinfo.php', '/actuator/env', '/.DS_Store', '/backup.zip', '/admin/', '/swagger.json', '/api/swagger.json', '/.svn/entries',
  '/xmlrpc.php', '/wp-config.php.bak', '/.htaccess', '/debug/pprof/', '/.vscode/sftp.json', '/docker-compose.yml', '/web.config', '/.npmrc',
  '/telescope/requests', '/_profiler/phpinfo', '/elmah.axd', '/jmx-console/', '/manager/html', '/.well-known/security.txt',
  '/owa/auth/logon.aspx', '/remote/login', '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', '/cgi-bin/luci', '/solr/admin/info/system',
  '/druid/index.html', '/console/login/LoginForm.jsp', '/.circleci/config.yml', '/storage/logs/laravel.log', '/info.php',
];

/** The web ACL with this name; throws when the demo has none. */
export function aclNamed(acls: readonly WebAcl[], name: string): WebAcl {
  const found = acls.find((a) => a.name === name);
  if (!found) throw new Error(`no demo web ACL named ${name}`);
  return found;
}

/** 3,000 POST /login, 0.2 s apart; the rate-based rule blocks everything after the first 150. */
export function credentialStuffing(acls: readonly WebAcl[], rng: Random, day: number): Planting {
  const acl = aclNamed(acls, 'prod-web-alb');
  const rule = acl.loginRateRule!;
  const blocked = rateBlock(rule, `${acl.arn.replace('/webacl/', '/ratebasedstatement/')}/${rule.name}`);
  const t0 = day + attackKind('credential-stuffing').offset;
  const allowed = 150;
  const clientIp = NETWORK_ATTACKERS.credentialStuffer;
  const requests = Array.from({ length: 3000 }, (_, i): PlantedRequest => ({
    acl,
    request: { timestamp: t0 + i * 200 + rng.int(150), clientIp, country: 'VN', userAgent: STUFFER_AGENT, method: 'POST', uri: '/login', args: '', verdict: i < allowed ? ALLOWED : blocked },
  }));
  return planting('credential-stuffing', {
    accountId: acl.account.id, accountName: acl.account.name, region: acl.folder, sourceAddress: clientIp, targets: [acl.name], webAcl: acl.name,
    magnitude: { requests: requests.length, allowed, blocked: requests.length - allowed },
  }, [], requests);
}

/** sqlmap (exposed files, then SQL injection on /checkout) and then Nuclei's list of exposed paths. */
export function scannerUserAgents(acls: readonly WebAcl[], rng: Random, day: number): Planting {
  const acl = aclNamed(acls, 'payments-cdn');
  const t0 = day + attackKind('scanner-user-agent').offset;
  const sqlmap: WafRequest[] = [];
  const probe = (clientIp: string, country: string, userAgent: string) => (timestamp: number, uri: string, args: string, verdict = ALLOWED): WafRequest => ({ timestamp, clientIp, country, userAgent, method: 'GET', uri, args, verdict });
  const bySqlmap = probe(NETWORK_ATTACKERS.sqlmap, 'DE', SCANNER_USER_AGENTS.sqlmap);
  ['/.env', '/.git/config', '/wp-login.php'].forEach((uri, i) => sqlmap.push(bySqlmap(t0 + i * 4000, uri, '')));
  for (let i = 0; i < 57; i++) {
    const payload = rng.pick(["1'", "1' AND SLEEP(5)-- -", "1 UNION ALL SELECT NULL,NULL,NULL-- -", "1' OR '1'='1", "1) AND 8412=8412 AND (3371=3371"]);
    sqlmap.push(bySqlmap(t0 + 15_000 + i * 12_000 + rng.int(3000), '/checkout', `session=${encodeURIComponent(payload)}`, SQLI_BLOCK));
  }
  const byNuclei = probe(NETWORK_ATTACKERS.nuclei, 'SG', SCANNER_USER_AGENTS.nuclei);
  const nucleiStart = t0 + 15 * MINUTE;
  const nuclei = [0, 1, 2].flatMap((round) => NUCLEI_PATHS.map((uri, i) => byNuclei(nucleiStart + round * 5 * MINUTE + i * 6000 + rng.int(2000), uri, '')));
  const requests = [...sqlmap, ...nuclei].map((request): PlantedRequest => ({ acl, request }));
  return planting('scanner-user-agent', {
    accountId: acl.account.id, accountName: acl.account.name, region: acl.folder, sourceAddress: NETWORK_ATTACKERS.sqlmap, targets: [acl.name, NETWORK_ATTACKERS.nuclei], webAcl: acl.name,
    magnitude: { sqlmapRequests: sqlmap.length, nucleiRequests: nuclei.length, sqlmapBlocked: 57 },
  }, [], requests);
}

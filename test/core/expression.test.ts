import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../central/core/rules/expression.js';
import { compileCidrs } from '../../central/core/net/cidr.js';
import type { Expression } from '../../central/core/rules/schema.js';

const event = {
  name: 'AuthorizeSecurityGroupIngress',
  sourceIp: '203.0.113.77',
  errorCode: undefined,
  actor: { type: 'IAMUser', name: 'Deploy-Bot' },
  raw: {
    requestParameters: {
      groupId: 'sg-0123456789abcdef0',
      ipPermissions: {
        items: [
          { ipProtocol: 'tcp', fromPort: 443, toPort: 443, ipRanges: { items: [{ cidrIp: '10.0.0.0/16' }] } },
          { ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] }, ipv6Ranges: { items: [{ cidrIpv6: '::/0' }] } },
        ],
      },
    },
    tags: ['prod', 'payments'],
  },
};

const matches = (expr: Expression) => compileExpression(expr)(event);

describe('match expressions', () => {
  it('compares with equals, loosely across numbers and strings', () => {
    expect(matches({ path: 'name', equals: 'AuthorizeSecurityGroupIngress' })).toBe(true);
    expect(matches({ path: 'raw.requestParameters.ipPermissions.items.fromPort', equals: '22' })).toBe(true);
    expect(matches({ path: 'name', equals: 'authorizesecuritygroupingress' })).toBe(false);
    expect(matches({ path: 'name', equals: 'authorizesecuritygroupingress', ignoreCase: true })).toBe(true);
  });

  it('fans out over arrays: a condition holds when any value passes', () => {
    expect(matches({ path: 'raw.requestParameters.ipPermissions.items.ipRanges.items.cidrIp', equals: '0.0.0.0/0' })).toBe(true);
    expect(matches({ path: 'raw.requestParameters.ipPermissions.items.0.ipRanges.items.cidrIp', equals: '0.0.0.0/0' })).toBe(false);
    expect(matches({ path: 'raw.tags', in: ['payments'] })).toBe(true);
  });

  it('tests prefixes, suffixes, substrings and regular expressions', () => {
    expect(matches({ path: 'name', prefix: ['Revoke', 'Authorize'] })).toBe(true);
    expect(matches({ path: 'name', suffix: 'Egress' })).toBe(false);
    expect(matches({ path: 'actor.name', contains: 'bot', ignoreCase: true })).toBe(true);
    expect(matches({ path: 'actor.name', contains: 'bot' })).toBe(false);
    expect(matches({ path: 'raw.requestParameters.groupId', regex: '^sg-[0-9a-f]{17}$' })).toBe(true);
  });

  it('tests addresses against IPv4 and IPv6 CIDR blocks', () => {
    expect(matches({ path: 'sourceIp', cidr: '203.0.113.0/24' })).toBe(true);
    expect(matches({ path: 'sourceIp', cidr: ['10.0.0.0/8', '2001:db8::/32'] })).toBe(false);
    const set = compileCidrs(['2001:db8::/32', '192.0.2.0/24']);
    expect(set.has('2001:db8:0:1::5')).toBe(true);
    expect(set.has('2001:db9::1')).toBe(false);
    expect(set.has('192.0.2.255')).toBe(true);
    expect(set.has('::ffff:192.0.2.1')).toBe(false);
    expect(compileCidrs(['::ffff:0:0/96']).has('::ffff:192.0.2.1')).toBe(true);
  });

  it('tests presence and absence, ignoring null and empty values', () => {
    expect(matches({ path: 'errorCode', exists: true })).toBe(false);
    expect(matches({ path: 'errorCode', exists: false })).toBe(true);
    expect(matches({ path: 'raw.requestParameters.groupId', exists: true })).toBe(true);
    expect(compileExpression({ path: 'a', exists: true })({ a: '' })).toBe(false);
    expect(compileExpression({ path: 'a', exists: true })({ a: null })).toBe(false);
  });

  it('compares numbers, with every operator of a condition holding for the same value', () => {
    expect(matches({ path: 'raw.requestParameters.ipPermissions.items.fromPort', gte: 20, lte: 25 })).toBe(true);
    expect(matches({ path: 'raw.requestParameters.ipPermissions.items.fromPort', gt: 22, lt: 443 })).toBe(false);
    expect(compileExpression({ path: 'n', lt: 5 })({ n: 'not a number' })).toBe(false);
  });

  it('combines conditions with all, any and not', () => {
    expect(matches({ all: [{ path: 'actor.type', equals: 'IAMUser' }, { not: { path: 'errorCode', exists: true } }] })).toBe(true);
    expect(matches({ any: [{ path: 'actor.type', equals: 'Root' }, { path: 'sourceIp', cidr: '10.0.0.0/8' }] })).toBe(false);
    expect(matches({ not: { any: [{ path: 'actor.type', equals: 'Root' }] } })).toBe(true);
  });

  it('holds with except for a value that passes the tests but not the exception, value by value', () => {
    const cidrs = 'raw.requestParameters.ipPermissions.items.ipRanges.items.cidrIp';
    expect(matches({ path: cidrs, except: { in: ['0.0.0.0/0'] } })).toBe(true);
    expect(matches({ path: cidrs, except: { in: ['0.0.0.0/0', '10.0.0.0/16'] } })).toBe(false);
    expect(matches({ path: cidrs, suffix: '/0', except: { prefix: '0.0.0.0' } })).toBe(false);
    expect(matches({ path: cidrs, suffix: '/16', except: { prefix: '0.0.0.0' } })).toBe(true);
    // The exception compares as its condition does, unless it says otherwise.
    expect(matches({ path: 'actor.name', ignoreCase: true, except: { equals: 'deploy-bot' } })).toBe(false);
    expect(matches({ path: 'actor.name', ignoreCase: true, except: { equals: 'deploy-bot', ignoreCase: false } })).toBe(true);
    expect(matches({ path: 'errorCode', except: { equals: 'AccessDenied' } })).toBe(false);
  });

  it('evaluates a named predicate inside an expression', () => {
    const policy = (doc: object) => ({ raw: { requestParameters: { policy: JSON.stringify(doc) } } });
    const open = policy({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }] });
    const pinned = policy({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': '111122223333' } } }] });
    const publicPolicy = compileExpression({ all: [{ predicate: { name: 'policyIsPublic', args: { path: 'raw.requestParameters.policy' } } }] });
    expect([publicPolicy(open), publicPolicy(pinned)]).toEqual([true, false]);
  });

  it('reads regexes in RE2 syntax: inline flags and named groups work, and ignoreCase folds case', () => {
    expect(matches({ path: 'actor.name', regex: '(?i)^deploy-(?P<kind>bot|user)$' })).toBe(true);
    expect(matches({ path: 'actor.name', regex: '^deploy-bot$' })).toBe(false);
    expect(matches({ path: 'actor.name', regex: '^deploy-bot$', ignoreCase: true })).toBe(true);
  });

  it('refuses lookaround and backreferences, naming the feature and the path', () => {
    expect(() => compileExpression({ path: 'name', regex: '^(?!Describe)' })).toThrow('unsupported regex at name: negative lookahead "(?!" is not supported: rule regexes run on RE2, in linear time, which has no lookaround or backreferences');
    expect(() => compileExpression({ path: 'name', regex: '(?<=Get)Object' })).toThrow(/^unsupported regex at name: lookbehind "\(\?<="/);
    expect(() => compileExpression({ path: 'name', regex: '(a)\\1' })).toThrow(/^unsupported regex at name: backreference "\\1"/);
    expect(() => compileExpression({ path: 'name', except: { regex: '(?=x)' } })).toThrow(/^unsupported regex at name \(except\): lookahead/);
  });

  it('rejects an invalid regular expression or CIDR when compiled', () => {
    expect(() => compileExpression({ path: 'name', regex: '([a-z' })).toThrow(/invalid regex at name/);
    expect(() => compileExpression({ path: 'sourceIp', cidr: '10.0.0.0/33' })).toThrow('invalid CIDR "10.0.0.0/33"');
  });
});

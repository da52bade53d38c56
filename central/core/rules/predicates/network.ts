/** Security group permissions open to the whole internet on ports outside an allow-list. */
import { z } from 'zod';
import { arr, obj, str } from '../../decode/fields.js';
import type { Predicate } from './index.js';

const WORLD = new Set(['0.0.0.0/0', '::/0']);

interface Permission {
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
  readonly cidrs: string[];
}

const Args = z
  .object({
    allowedPorts: z.array(z.number().int().min(0).max(65535)).default([]),
    /** ICMP to the world reveals little; allowed unless a rule says otherwise. */
    allowIcmp: z.boolean().default(true),
  })
  .strict();

/**
 * True when an Authorize/ModifySecurityGroup* call grants 0.0.0.0/0 or ::/0 a port range that is not
 * wholly inside the allow-list. Port and CIDR must be read from the same permission entry, which a
 * path expression cannot do.
 */
export const worldOpenPermission: Predicate<z.infer<typeof Args>> = {
  description: 'a security group permission opens a non-allowed port range to 0.0.0.0/0 or ::/0',
  args: Args,
  test(event, args) {
    const allowed = new Set(args.allowedPorts);
    return permissionsOf(obj(event.raw.requestParameters)).some(
      (p) => p.cidrs.some((c) => WORLD.has(c)) && !isAllowed(p, allowed, args.allowIcmp),
    );
  },
};

function isAllowed(p: Permission, allowed: Set<number>, allowIcmp: boolean): boolean {
  const proto = p.protocol.toLowerCase();
  if (proto === 'icmp' || proto === 'icmpv6' || proto === '1' || proto === '58') return allowIcmp;
  if (proto === '-1' || proto === 'all' || p.from < 0 || p.to - p.from > 1024) return false;
  for (let port = p.from; port <= p.to; port++) if (!allowed.has(port)) return false;
  return true;
}

/** Reads permissions from the three request shapes EC2 logs: ipPermissions, flat fields, and ModifySecurityGroupRules. */
function permissionsOf(params: Record<string, unknown> | undefined): Permission[] {
  if (!params) return [];
  const out: Permission[] = [];
  for (const item of arr(obj(params.ipPermissions)?.items)) {
    const p = obj(item);
    if (!p) continue;
    const cidrs = [
      ...arr(obj(p.ipRanges)?.items).map((r) => str(obj(r)?.cidrIp)),
      ...arr(obj(p.ipv6Ranges)?.items).map((r) => str(obj(r)?.cidrIpv6)),
    ].filter((c): c is string => c !== undefined);
    out.push(permission(p.ipProtocol, p.fromPort, p.toPort, cidrs));
  }
  const flatCidr = str(params.cidrIp) ?? str(params.cidrIpv6);
  if (flatCidr) out.push(permission(params.ipProtocol, params.fromPort, params.toPort, [flatCidr]));
  const modify = obj(obj(params.ModifySecurityGroupRulesRequest)?.SecurityGroupRule);
  const rules = modify ? (Array.isArray(modify) ? modify : [modify]) : [];
  for (const r of rules) {
    const rule = obj(obj(r)?.SecurityGroupRule);
    const cidr = str(rule?.CidrIpv4) ?? str(rule?.CidrIpv6);
    if (rule && cidr) out.push(permission(rule.IpProtocol, rule.FromPort, rule.ToPort, [cidr]));
  }
  return out;
}

function permission(protocol: unknown, from: unknown, to: unknown, cidrs: string[]): Permission {
  const f = from === undefined ? -1 : Number(from);
  const t = to === undefined ? f : Number(to);
  return { protocol: String(protocol ?? '-1'), from: Number.isNaN(f) ? -1 : f, to: Number.isNaN(t) ? 65535 : t, cidrs };
}

/**
 * The FlowRecord of one flow-log line, or the reason it cannot be one. The fixed words (ACCEPT, OK,
 * ingress...) become shared literals, and the delivery's account and region are used as given, so a
 * record holds its object and the few strings only it has.
 */
import { F, fieldName } from './flow-format.js';
import type { FlowLine } from './flow-line.js';
import type { DeliveryOrigin } from './log-input.js';
import type { FlowRecord } from './records.js';

/** Plausible capture times, with room either side of VPC Flow Logs (2015-): outside them is a unit or typo mistake. */
const MIN_EPOCH = 946_684_800; // 2000-01-01
const MAX_EPOCH = 4_102_444_800; // 2100-01-01

/** The record of the current line, or the reason it is rejected. */
export function flowRecord(l: FlowLine, origin: DeliveryOrigin): FlowRecord | string {
  l.fault = undefined;
  const version = l.format.has[F.version] ? l.uint(F.version, 99, 'a format version') : l.format.impliedVersion;
  if (version !== undefined && version < 2) l.fail(`version "${l.token(F.version)}" is not a format version`);
  const start = epoch(l, F.start);
  const end = epoch(l, F.end);
  if (start !== undefined && end !== undefined && end < start) l.fail(`end ${end} is before start ${start}`);
  const srcAddr = l.str(F.srcAddr);
  const dstAddr = l.str(F.dstAddr);
  const recordRegion = l.format.extended ? l.str(F.region) : undefined;
  const region = origin.region ?? recordRegion;
  if (region === undefined) l.fail('no region: the path names none and the record has no region field');
  const accountId = account(l, origin);
  const interfaceId = l.str(F.interfaceId);
  const srcPort = l.uint(F.srcPort, 65535, 'a port (0-65535)');
  const dstPort = l.uint(F.dstPort, 65535, 'a port (0-65535)');
  const protocol = l.uint(F.protocol, 255, 'a protocol number (0-255)');
  const packets = l.uint(F.packets, Number.MAX_SAFE_INTEGER, 'a packet count');
  const bytes = l.uint(F.bytes, Number.MAX_SAFE_INTEGER, 'a byte count');
  const verdict = action(l);
  const status = logStatus(l);
  if (l.fault !== undefined) return l.fault;
  // Non-null from here: a missing value set `fault`.
  // Two fixed shapes: a default-format file (the common case) does not pay for fifteen empty fields.
  if (!l.format.extended) {
    return {
      kind: 'flow', account: accountId!, region: region!, version: version!, interfaceId, srcAddr, dstAddr, srcPort, dstPort,
      protocol, packets, bytes, start: start!, end: end!, action: verdict, logStatus: status,
    };
  }
  const record: FlowRecord = {
    kind: 'flow', account: accountId!, region: region!, version: version!, interfaceId, srcAddr, dstAddr, srcPort, dstPort,
    protocol, packets, bytes, start: start!, end: end!, action: verdict, logStatus: status,
    vpcId: l.str(F.vpcId),
    subnetId: l.str(F.subnetId),
    instanceId: l.str(F.instanceId),
    tcpFlags: l.uint(F.tcpFlags, 255, 'a TCP flags value (0-255)'),
    trafficType: l.is(F.type, 'IPv4') ? 'IPv4' : l.is(F.type, 'IPv6') ? 'IPv6' : l.str(F.type),
    // Behind no NAT the packet addresses repeat the interface's: share the string.
    pktSrcAddr: sameAs(l, F.pktSrcAddr, srcAddr),
    pktDstAddr: sameAs(l, F.pktDstAddr, dstAddr),
    recordRegion,
    azId: l.str(F.azId),
    flowDirection: direction(l),
    trafficPath: l.uint(F.trafficPath, 255, 'a traffic path (0-255)'),
    pktSrcService: l.str(F.pktSrcService),
    pktDstService: l.str(F.pktDstService),
  };
  return l.fault ?? record;
}

function epoch(l: FlowLine, code: number): number | undefined {
  const value = l.uint(code, MAX_EPOCH, 'epoch seconds');
  if (value === undefined) {
    if (!l.present(code)) l.fail(`${fieldName(code)} is missing`);
    return undefined;
  }
  if (value < MIN_EPOCH) l.fail(`${fieldName(code)} ${value} is not a plausible time (before 2000)`);
  return value;
}

/** The delivery's account wins; the record's own account-id may only agree with it or be `-`. */
function account(l: FlowLine, origin: DeliveryOrigin): string | undefined {
  if (!l.present(F.account)) {
    if (origin.account === undefined) l.fail('no account: the path names none and the record has no account-id');
    return origin.account;
  }
  if (origin.account !== undefined && l.is(F.account, origin.account)) return origin.account;
  if (l.lastAccount !== undefined && l.is(F.account, l.lastAccount)) return l.lastAccount;
  const named = l.token(F.account);
  if (!/^\d{12}$/.test(named)) {
    l.fail(`account-id "${named}" is not an account (12 digits)`);
    return undefined;
  }
  if (origin.account === undefined) return (l.lastAccount = named);
  l.fail(`record names account ${named} but was delivered under account ${origin.account}`);
  return origin.account;
}

function action(l: FlowLine): FlowRecord['action'] {
  if (l.is(F.action, 'ACCEPT')) return 'ACCEPT';
  if (l.is(F.action, 'REJECT')) return 'REJECT';
  if (l.present(F.action)) l.fail(`action "${l.token(F.action)}" is not ACCEPT or REJECT`);
  return undefined;
}

function logStatus(l: FlowLine): FlowRecord['logStatus'] {
  // A format without log-status cannot say NODATA or SKIPDATA: take OK and let the absent fields speak.
  if (!l.format.has[F.logStatus] || l.is(F.logStatus, 'OK')) return 'OK';
  if (l.is(F.logStatus, 'NODATA')) return 'NODATA';
  if (l.is(F.logStatus, 'SKIPDATA')) return 'SKIPDATA';
  l.fail(`log-status "${l.token(F.logStatus)}" is not OK, NODATA or SKIPDATA`);
  return 'OK';
}

function direction(l: FlowLine): FlowRecord['flowDirection'] {
  if (l.is(F.flowDirection, 'ingress')) return 'ingress';
  if (l.is(F.flowDirection, 'egress')) return 'egress';
  if (l.present(F.flowDirection)) l.fail(`flow-direction "${l.token(F.flowDirection)}" is not ingress or egress`);
  return undefined;
}

function sameAs(l: FlowLine, code: number, other: string | undefined): string | undefined {
  if (other !== undefined && l.is(code, other)) return other;
  return l.str(code);
}

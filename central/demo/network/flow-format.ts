/**
 * VPC Flow Logs record lines: the default v2 format and the custom v5 format the analytics account's
 * flow log was created with. Fields are space-separated and `-` stands for "not applicable".
 */
import type { FlowStream, NetInterface } from './topology.js';

/** The header line of a default-format (v2) file. */
export const V2_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

/** The header line of the demo's custom v5 file. */
export const V5_HEADER = `${V2_HEADER} vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id flow-direction traffic-path`;

/** One flow as seen by one interface. Times are seconds since the epoch. */
export interface Flow {
  readonly iface: NetInterface;
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  /** 6 TCP, 17 UDP. */
  readonly protocol: number;
  readonly packets: number;
  readonly bytes: number;
  readonly start: number;
  readonly end: number;
  readonly action: 'ACCEPT' | 'REJECT';
  /** The OR of the TCP flags seen (2 SYN, 18 SYN-ACK, 3 SYN+FIN, 19 SYN+ACK+FIN, 0 for UDP). */
  readonly tcpFlags: number;
  readonly direction: 'ingress' | 'egress';
}

/** Formats flows and idle windows in one stream's format. */
export interface FlowFormatter {
  readonly header: string;
  line(flow: Flow): string;
  /** A NODATA record: the interface saw nothing during [start, end]. */
  noData(iface: NetInterface, start: number, end: number): string;
}

/** The formatter for a stream; account, VPC and region are fixed per stream, so they are joined once. */
export function flowFormatter(stream: FlowStream): FlowFormatter {
  const account = stream.account.id;
  if (stream.format === 'v2') {
    const prefix = `2 ${account} `;
    return {
      header: V2_HEADER,
      line: (f) => `${prefix}${f.iface.id} ${f.src} ${f.dst} ${f.srcPort} ${f.dstPort} ${f.protocol} ${f.packets} ${f.bytes} ${f.start} ${f.end} ${f.action} OK`,
      noData: (iface, start, end) => `${prefix}${iface.id} - - - - - - - ${start} ${end} - NODATA`,
    };
  }
  const prefix = `5 ${account} `;
  const vpc = stream.vpcId;
  const region = stream.region;
  return {
    header: V5_HEADER,
    line: (f) => {
      const i = f.iface;
      // traffic-path is logged for egress only: 1 stays in the VPC, 8 leaves through the internet gateway.
      const path = f.direction === 'ingress' ? '-' : f.dst.startsWith('10.') ? '1' : '8';
      return (
        `${prefix}${i.id} ${f.src} ${f.dst} ${f.srcPort} ${f.dstPort} ${f.protocol} ${f.packets} ${f.bytes} ${f.start} ${f.end} ${f.action} OK ` +
        `${vpc} ${i.subnetId} ${i.instanceId ?? '-'} ${f.tcpFlags} IPv4 ${f.src} ${f.dst} ${region} ${i.azId} ${f.direction} ${path}`
      );
    },
    noData: (i, start, end) => `${prefix}${i.id} - - - - - - - ${start} ${end} - NODATA ${vpc} ${i.subnetId} ${i.instanceId ?? '-'} - - - - ${region} ${i.azId} - -`,
  };
}

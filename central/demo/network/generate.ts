/**
 * The demo's network logs: VPC Flow Logs for three accounts and AWS WAF logs for two web ACLs, one
 * file per stream and 5-minute window, streamed window by window to a gzip worker. The benign traffic
 * covers the training days and the attack day; the attacks, drawn from their own fork of the
 * generator, only add records, so the benign records are the same with or without them.
 */
import { join, dirname } from 'node:path';
import { GzipSink } from '../gzip-sink.js';
import type { DemoOrganization } from '../organization.js';
import type { Random } from '../random.js';
import { MINUTE } from '../time.js';
import { benignFlows, type FlowWindow } from './flow-benign.js';
import { flowFormatter } from './flow-format.js';
import { flowLogKey, wafLogKey } from './layout.js';
import { NOTHING_PLANTED, plantNetworkAttacks } from './plant.js';
import { rhythmFor } from './rhythm.js';
import type { NetworkLogSummary, WrittenFlowLog, WrittenWebAcl } from './summary.js';
import { flowStreams } from './topology.js';
import { webAcls } from './waf-acls.js';
import { benignRequests, wafWindow, type WafWindow } from './waf-benign.js';
import { wafFormatter, type WafFormatter, type WafRequest } from './waf-format.js';

const WINDOW_MS = 5 * MINUTE;
const DAY_MS = 24 * 60 * MINUTE;

/** The summary types, beside the function that returns them. */
export type { NetworkLogSummary, WrittenFlowLog, WrittenWebAcl } from './summary.js';

/** What to generate. */
export interface NetworkLogOptions {
  /** The folder that holds (or will hold) `AWSLogs/`. */
  readonly root: string;
  /** The first day, 00:00 UTC. */
  readonly start: Date | number;
  /** Training days of benign traffic before the attack day. */
  readonly days: number;
  /** Plant the attacks; the benign traffic is the same either way. */
  readonly attacks: boolean;
  /** The attack day as a day index from `start`. @default days (the day after the training days) */
  readonly attackDay?: number;
  /** Multiplies the benign traffic rate, for quick tests. @default 1 */
  readonly scale?: number;
  /** gzip level. @default 6 */
  readonly level?: number;
}

/** Writes the network logs under `root/AWSLogs/` and says what they hold. */
export async function generateNetworkLogs(org: DemoOrganization, rng: Random, options: NetworkLogOptions): Promise<NetworkLogSummary> {
  const start = typeof options.start === 'number' ? options.start : options.start.getTime();
  const { days, scale = 1 } = options;
  const attackDay = options.attackDay ?? days;
  if (!Number.isInteger(attackDay) || attackDay < 0) throw new RangeError(`attackDay must be a day index, not ${attackDay}`);
  const totalDays = Math.max(days, attackDay + 1);
  const dayStart = start + attackDay * DAY_MS;
  const net = rng.fork('network');
  const streams = flowStreams(org, net.fork('topology'));
  const acls = webAcls(org, net.fork('topology'), streams);
  const planted = options.attacks ? plantNetworkAttacks(streams, acls, net.fork('attacks'), dayStart, start, WINDOW_MS) : NOTHING_PLANTED;

  const flows = streams.map((stream) => {
    const r = net.fork(`flow/${stream.account.name}/${stream.region}`);
    const window: FlowWindow = { stream, format: flowFormatter(stream), rng: r, rhythm: rhythmFor(r.fork('rhythm')), scale };
    return { window, planted: planted.flows.get(stream), files: 0, records: 0 };
  });
  const wafs = acls.map((acl) => {
    const r = net.fork(`waf/${acl.name}`);
    return { acl, window: wafWindow(acl, r, rhythmFor(r.fork('rhythm')), scale), format: wafFormatter(acl), ids: r.fork('request-ids'), plantedIds: net.fork(`attacks/request-ids/${acl.name}`), planted: planted.requests.get(acl), files: 0, records: 0 };
  });

  const sink = new GzipSink(options.level ?? 6);
  const paths: string[] = [];
  let bytes = 0;
  const write = (key: string, text: string) => {
    const path = join(options.root, key);
    paths.push(path);
    bytes += text.length;
    return sink.write(dirname(path), path, text);
  };
  try {
    const windows = (totalDays * DAY_MS) / WINDOW_MS;
    for (let w = 0; w < windows; w++) {
      const t = start + w * WINDOW_MS;
      for (const f of flows) {
        const { stream, format } = f.window;
        const lines = [format.header];
        benignFlows(f.window, t, lines);
        for (const flow of f.planted?.get(w) ?? []) lines.push(format.line(flow));
        f.files++;
        f.records += lines.length - 1;
        await write(flowLogKey(stream.account.id, stream.region, stream.flowLogId, t), lines.join('\n') + '\n');
      }
      for (const a of wafs) {
        const lines = mergeRequests(a, t, w);
        if (lines.length === 0) continue;
        a.files++;
        a.records += lines.length;
        await write(wafLogKey(a.acl.account.id, a.acl.folder, a.acl.name, t), lines.join('\n') + '\n');
      }
    }
    await sink.close();
  } catch (err) {
    await sink.abort();
    throw err;
  }
  const flowLogs = flows.map(({ window: { stream }, files, records }): WrittenFlowLog => ({
    accountId: stream.account.id, accountName: stream.account.name, region: stream.region, flowLogId: stream.flowLogId, format: stream.format, vpcId: stream.vpcId, files, records,
  }));
  const written = wafs.map(({ acl, files, records }): WrittenWebAcl => ({ accountId: acl.account.id, accountName: acl.account.name, region: acl.folder, name: acl.name, arn: acl.arn, files, records }));
  const sum = (list: ReadonlyArray<{ files: number; records: number }>, field: 'files' | 'records') => list.reduce((n, x) => n + x[field], 0);
  return {
    root: options.root,
    start: new Date(start).toISOString(),
    end: new Date(start + totalDays * DAY_MS).toISOString(),
    trainingDays: days,
    attackDay: { index: attackDay, start: new Date(dayStart).toISOString(), end: new Date(dayStart + DAY_MS).toISOString() },
    flowLogs,
    webAcls: written,
    files: sum(flowLogs, 'files') + sum(written, 'files'),
    flowRecords: sum(flowLogs, 'records'),
    wafRecords: sum(written, 'records'),
    bytes,
    planted: planted.attacks,
    paths,
  };
}

interface WafStream {
  readonly window: WafWindow;
  readonly format: WafFormatter;
  readonly ids: Random;
  readonly plantedIds: Random;
  readonly planted: ReadonlyMap<number, readonly WafRequest[]> | undefined;
}

/** The window's benign and planted requests as lines, merged by timestamp (benign first on ties). */
function mergeRequests(a: WafStream, t: number, w: number): string[] {
  const benign = benignRequests(a.window, t);
  const extra = a.planted?.get(w) ?? [];
  const lines: string[] = [];
  let j = 0;
  for (const request of benign) {
    while (j < extra.length && extra[j]!.timestamp < request.timestamp) lines.push(a.format.line(extra[j++]!, a.plantedIds));
    lines.push(a.format.line(request, a.ids));
  }
  while (j < extra.length) lines.push(a.format.line(extra[j++]!, a.plantedIds));
  return lines;
}

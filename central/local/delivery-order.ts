/**
 * The order a replay reads trail files in: by the delivery time CloudTrail writes into each file's
 * name (`<account>_CloudTrail_<region>_20261116T1506Z_<random>.json.gz`), as the live detector
 * would have met them, instead of folder order, which reads one region's whole history before the
 * next. First-seen decisions depend on which events came before; this makes a replay's history the
 * live one. Files whose names carry no such time keep their relative order, ahead of the others.
 */
import type { InputFile } from './files.js';

const DELIVERY_TIME = /_CloudTrail_[a-z0-9-]+_(\d{8}T\d{4}Z)_[A-Za-z0-9]+\.json(?:\.gz)?$/;

/** The files sorted by delivery time (stable: ties and unnamed files keep their order). */
export function inDeliveryOrder<T extends Pick<InputFile, 'path'>>(files: readonly T[]): T[] {
  const keyed = files.map((file, index) => ({ file, index, time: DELIVERY_TIME.exec(file.path)?.[1] ?? '' }));
  keyed.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.index - b.index));
  return keyed.map((k) => k.file);
}

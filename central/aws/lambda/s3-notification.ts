/**
 * Object references from S3 event notifications. Keys arrive URL-encoded with `+` for a space, so a
 * key must be decoded before it is fetched.
 */

/** One object an S3 notification names. */
export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly size?: number;
}

/** Decodes an S3 notification key (`a+b%2Bc` is `a b+c`). */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/** The objects of an S3 notification message (`{"Records":[{"s3":...}]}`); [] for `s3:TestEvent`. */
export function objectsOfNotification(message: unknown): ObjectRef[] {
  if (!message || typeof message !== 'object') throw new Error('S3 notification is not a JSON object');
  if ((message as { Event?: string }).Event === 's3:TestEvent') return [];
  const records = (message as { Records?: unknown }).Records;
  if (!Array.isArray(records)) throw new Error('S3 notification has no Records array');
  return records.map((record, index) => {
    const s3 = (record as { s3?: { bucket?: { name?: string }; object?: { key?: string; versionId?: string; size?: number } } }).s3;
    if (!s3?.bucket?.name || typeof s3.object?.key !== 'string') throw new Error(`S3 notification record ${index} has no bucket or key`);
    return { bucket: s3.bucket.name, key: decodeS3Key(s3.object.key), versionId: s3.object.versionId, size: s3.object.size };
  });
}

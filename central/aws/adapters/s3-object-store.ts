/** The ObjectStore port over S3: whole objects, refused beyond a size limit before the body is read. */
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { ObjectTooLargeError, type ObjectLocation, type ObjectStore } from '../../core/ports.js';

/** The object named by a notification is gone (deleted, or a lifecycle rule expired it). */
export class ObjectMissingError extends Error {
  override readonly name = 'ObjectMissingError';
  constructor(readonly location: ObjectLocation, options?: { cause?: unknown }) {
    super(`s3://${location.bucket}/${location.key}${location.versionId ? ` (version ${location.versionId})` : ''} does not exist`, options);
  }
}

export class S3ObjectStore implements ObjectStore {
  constructor(private readonly client: S3Client) {}

  async read(location: ObjectLocation, maxBytes: number): Promise<Uint8Array> {
    let response;
    try {
      response = await this.client.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key, VersionId: location.versionId }));
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchVersion') throw new ObjectMissingError(location, { cause: err });
      throw err;
    }
    const body = response.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
    if (response.ContentLength !== undefined && response.ContentLength > maxBytes) {
      body?.destroy?.();
      throw new ObjectTooLargeError(location, response.ContentLength, maxBytes);
    }
    if (!body) return new Uint8Array();
    // Counted while reading too: a missing or wrong Content-Length must not let a huge body through.
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    for await (const chunk of body) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        body.destroy?.();
        throw new ObjectTooLargeError(location, bytes, maxBytes);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }
}

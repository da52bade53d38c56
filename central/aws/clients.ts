/**
 * SDK clients, built once per container. Endpoints and region come from the environment, so the same
 * code runs in Lambda and against local emulators (`AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL_DYNAMODB`).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';

/** A DynamoDB client with the SDK's standard retries (throttling on a hot key is normal). */
export function dynamoClient(): DynamoDBClient {
  return new DynamoDBClient({});
}

/**
 * An S3 client. With an endpoint override (an emulator) it uses path-style addressing, which
 * emulators need, and sends checksums only when an operation requires them.
 */
export function s3Client(): S3Client {
  const local = Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
  return new S3Client(local ? { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {});
}

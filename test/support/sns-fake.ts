/**
 * Stand-ins for the services the notifier calls that have no emulator: SNS Publish and Secrets
 * Manager GetSecretValue, stubbed at the SDK boundary with aws-sdk-client-mock. Every request is
 * validated against the SDK's own API model plus the limits the SNS documentation states; a request
 * that fails is refused and kept in `invalid`, which tests assert empty.
 */
import { InternalErrorException, PublishCommand, PublishInput$, SNSClient, ThrottledException, type PublishCommandInput } from '@aws-sdk/client-sns';
import { GetSecretValueCommand, GetSecretValueRequest$, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { validateRequest } from './aws-model.js';
import { seededRandom } from './seeded.js';

/** SNS errors a fake can answer with. */
export type SnsFailure = 'InternalErrorException' | 'ThrottledException';

/** A stubbed SNS. */
export interface SnsFake {
  /** Publishes SNS accepted, in order. */
  readonly published: PublishCommandInput[];
  /** Validation errors of refused requests (should stay empty). */
  readonly invalid: string[];
  /** Every Publish call, accepted or not. */
  readonly calls: () => number;
  /** Fails the next `times` publishes. */
  failNext(times: number, error?: SnsFailure): void;
  /** Fails each publish with probability `rate`, drawn from a generator seeded with `seed`. */
  failAtRate(rate: number, seed: number, error?: SnsFailure): void;
  restore(): void;
}

// Documented for Publish but absent from the model: "Subjects must be UTF-8 text with no line breaks or
// control characters, and less than 100 characters long"; a message is at most 256 KiB.
const MAX_MESSAGE_BYTES = 262_144;

/** The SNS rules the model does not carry. */
export function snsPublishLimits(input: PublishCommandInput): string[] {
  const errors: string[] = [];
  if (input.Subject !== undefined) {
    if (input.Subject.length === 0 || input.Subject.length >= 100) errors.push(`$.Subject: expected 1-99 characters, got ${input.Subject.length}`);
    if (/[\u0000-\u001f\u007f]/.test(input.Subject)) errors.push('$.Subject: contains a line break or control character');
  }
  if (typeof input.Message === 'string') {
    if (input.Message.length === 0) errors.push('$.Message: empty');
    const bytes = Buffer.byteLength(input.Message) + Buffer.byteLength(JSON.stringify(input.MessageAttributes ?? {}));
    if (bytes > MAX_MESSAGE_BYTES) errors.push(`$.Message: ${bytes} bytes with attributes, more than 256 KiB`);
  }
  if (input.TopicArn !== undefined && !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(input.TopicArn)) errors.push(`$.TopicArn: not a topic ARN`);
  for (const [name, attribute] of Object.entries(input.MessageAttributes ?? {})) {
    if (attribute.DataType === 'String' && !attribute.StringValue) errors.push(`$.MessageAttributes.${name}: a String attribute needs a StringValue`);
  }
  return errors;
}

/** Stubs SNS Publish (every client of the class, or one client). */
export function fakeSns(target: SNSClient | typeof SNSClient = SNSClient): SnsFake {
  const mock = mockClient(target);
  const published: PublishCommandInput[] = [];
  const invalid: string[] = [];
  const failures: SnsFailure[] = [];
  let calls = 0;
  let random: (() => number) | undefined;
  let rate = 0;
  let rateError: SnsFailure = 'InternalErrorException';
  mock.on(PublishCommand).callsFake(async (input: PublishCommandInput) => {
    calls++;
    const errors = [...validateRequest(PublishInput$, input), ...snsPublishLimits(input)];
    if (errors.length) {
      invalid.push(...errors);
      throw new Error(`invalid Publish request: ${errors.join('; ')}`);
    }
    const planned = failures.shift() ?? (random && random() < rate ? rateError : undefined);
    if (planned) throw snsError(planned);
    published.push(structuredClone(input));
    return { MessageId: `a1b2c3d4-5678-4abc-8def-${String(published.length).padStart(12, '0')}` };
  });
  return {
    published,
    invalid,
    calls: () => calls,
    failNext: (times, error = 'InternalErrorException') => failures.push(...Array.from({ length: times }, () => error)),
    failAtRate: (r, seed, error = 'InternalErrorException') => {
      rate = r;
      rateError = error;
      random = seededRandom(seed);
    },
    restore: () => mock.restore(),
  };
}

function snsError(name: SnsFailure): Error {
  const $metadata = { httpStatusCode: name === 'ThrottledException' ? 400 : 500, requestId: 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b' };
  return name === 'ThrottledException'
    ? new ThrottledException({ message: 'Rate exceeded', $metadata })
    : new InternalErrorException({ message: 'Internal error', $metadata });
}

/** A stubbed Secrets Manager holding one secret. */
export interface SecretFake {
  /** GetSecretValue calls so far. */
  readonly calls: () => number;
  readonly invalid: string[];
  /** Replaces the secret's value (an operator pasting the webhook URL). */
  set(value: string): void;
  restore(): void;
}

/** Stubs GetSecretValue for `secretArn`; other ids get ResourceNotFoundException. */
export function fakeSecret(secretArn: string, value: string, target: SecretsManagerClient | typeof SecretsManagerClient = SecretsManagerClient): SecretFake {
  const mock = mockClient(target);
  const invalid: string[] = [];
  let current = value;
  let calls = 0;
  mock.on(GetSecretValueCommand).callsFake(async (input) => {
    calls++;
    const errors = validateRequest(GetSecretValueRequest$, input);
    if (errors.length) {
      invalid.push(...errors);
      throw new Error(`invalid GetSecretValue request: ${errors.join('; ')}`);
    }
    if (input.SecretId !== secretArn) {
      throw new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: { httpStatusCode: 400 } });
    }
    return {
      ARN: secretArn,
      Name: secretArn.split(':secret:')[1]?.replace(/-[A-Za-z0-9]{6}$/, ''),
      VersionId: 'EXAMPLE1-90ab-cdef-fedc-ba987SECRET1',
      SecretString: current,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: new Date('2026-11-01T10:00:00Z'),
    };
  });
  return {
    calls: () => calls,
    invalid,
    set: (v) => {
      current = v;
    },
    restore: () => mock.restore(),
  };
}


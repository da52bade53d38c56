/** CloudTrail Insights events as CloudTrail writes them under `CloudTrail-Insight/`, redacted. */
import { randomUUID } from 'node:crypto';

const SHARED_EVENT_ID = '5f3c2a1b-9d8e-4f7a-b6c5-0e1d2c3b4a59';

/** One Insights event: the start or the end of unusual DeleteAccessKey call volume in 111122223333. */
export function insightRecord(state: 'Start' | 'End'): Record<string, unknown> {
  const statistics = {
    baseline: { average: 0.0000882145 },
    insight: { average: 9.6 },
    ...(state === 'End' ? { insightDuration: 5, baselineDuration: 11336 } : {}),
  };
  return {
    eventVersion: '1.08',
    eventTime: state === 'Start' ? '2026-11-02T10:01:00Z' : '2026-11-02T10:06:00Z',
    awsRegion: 'us-east-1',
    eventID: randomUUID(),
    eventType: 'AwsCloudTrailInsight',
    recipientAccountId: '111122223333',
    sharedEventID: SHARED_EVENT_ID,
    insightDetails: {
      state,
      eventSource: 'iam.amazonaws.com',
      eventName: 'DeleteAccessKey',
      insightType: 'ApiCallRateInsight',
      insightContext: {
        statistics,
        attributions: [
          { attribute: 'userIdentityArn', insight: [{ value: 'arn:aws:iam::111122223333:user/deploy-bot', average: 9.6 }], baseline: [{ value: 'arn:aws:iam::111122223333:user/deploy-bot', average: 0.0000882145 }] },
          { attribute: 'userAgent', insight: [{ value: 'aws-cli/2.15.30', average: 9.6 }], baseline: [{ value: 'aws-cli/2.15.30', average: 0.0000882145 }] },
          { attribute: 'errorCode', insight: [{ value: 'null', average: 9.6 }], baseline: [{ value: 'null', average: 0.0000882145 }] },
        ],
      },
    },
    eventCategory: 'Insight',
  };
}

/**
 * The email channel: one SNS Publish per notice to the topic the operators subscribe to. Errors are
 * rethrown untouched (they carry no secret) so the stream record is retried; message attributes let a
 * subscription filter by severity or source without another topic.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { emailOf } from '../../core/delivery/messages.js';
import type { Notice } from '../../core/delivery/notice.js';
import type { NoticeChannel } from '../../core/delivery/notify-policy.js';

/** Sends notices as email through an SNS topic. */
export class SnsEmailChannel implements NoticeChannel {
  readonly name = 'email';

  constructor(private readonly client: SNSClient, private readonly topicArn: string) {}

  async send(notice: Notice): Promise<'sent'> {
    const { subject, body } = emailOf(notice);
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: subject,
        Message: body,
        MessageAttributes: {
          severity: { DataType: 'String', StringValue: notice.severity },
          source: { DataType: 'String', StringValue: notice.source },
          account: { DataType: 'String', StringValue: notice.account },
        },
      }),
    );
    return 'sent';
  }
}

/** The topic and its confirmed Lambda subscription (SNS API reference: ListSubscriptionsByTopic). */
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { ListSubscriptionsByTopicCommand, SNSClient, type Subscription } from '@aws-sdk/client-sns';
import { describeAwsError } from '../../aws/clients.js';
import { checkSubscriptions, snsActions, type TopicSubscriptions } from '../checks.js';
import type { Finding } from '../findings.js';
import { notChecked, regionOf, type AuditContext } from './context.js';

/**
 * Reads the subscriptions of every SNS topic among the alarm's actions (each in its Region) and runs
 * {@link checkSubscriptions}. Returns the topic with a confirmed Lambda subscription and that function's ARN.
 */
export async function collectSubscription(
  ctx: AuditContext,
  alarm: MetricAlarm | undefined,
): Promise<{ findings: Finding[]; topicArn?: string; functionArn?: string }> {
  if (!alarm) return { findings: [notChecked('subscription', 'no alarm')] };
  const topics: TopicSubscriptions[] = [];
  for (const arn of snsActions(alarm)) {
    ctx.options.progress(`reading the subscriptions of ${arn}…`);
    const sns = new SNSClient(ctx.config(regionOf(arn, ctx.target.region)));
    try {
      const subscriptions: Subscription[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sns.send(
          new ListSubscriptionsByTopicCommand({ TopicArn: arn, NextToken: nextToken }),
        );
        subscriptions.push(...(page.Subscriptions ?? []));
        nextToken = page.NextToken;
      } while (nextToken);
      topics.push({ topicArn: arn, subscriptions });
    } catch (error) {
      topics.push({ topicArn: arn, error: describeAwsError('sns:ListSubscriptionsByTopic', error) });
    }
  }
  return checkSubscriptions(topics);
}

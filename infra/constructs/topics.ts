import { Aws, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/**
 * A standard topic `topicName` in `scope` that CloudWatch alarms of this account and Region may publish to, and
 * only over TLS (https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html).
 * @param masterKey a customer-managed key that CloudWatch may use ({@link cloudWatchTopicKey}); none: unencrypted
 */
export function cloudWatchTopic(
  scope: Construct,
  id: string,
  topicName: string,
  masterKey: kms.IKey | undefined,
): sns.Topic {
  const topic = new sns.Topic(scope, id, { topicName, masterKey, enforceSSL: true });
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsOfThisAccount',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      // `alarm:*`: any alarm of this account and Region (alarm names are free to change); nothing else.
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: {
          'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
        },
      },
    }),
  );
  if (masterKey === undefined) {
    Validations.of(topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Encryption is optional (encryptTopics): only a customer-managed key works for alarm notifications, ' +
        'the AWS-managed alias/aws/sns would silently stop them; the messages carry alarm names, not secrets.',
    });
  }
  return topic;
}

/**
 * A customer-managed key (rotation on) for the topics, that CloudWatch alarms may use. Never the AWS-managed
 * `alias/aws/sns`: CloudWatch cannot use that key, so alarm notifications would silently stop
 * (https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger).
 */
export function cloudWatchTopicKey(scope: Construct, id: string): kms.Key {
  const key = new kms.Key(scope, id, {
    description: 'secu-alert-dooray: encrypts the alarm and operations SNS topics',
    enableKeyRotation: true,
  });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToUseTheKey',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      // In a key policy, `*` is this key. `GenerateDataKey*` is the action pair the AWS example grants
      // CloudWatch (https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger).
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }),
  );
  return key;
}

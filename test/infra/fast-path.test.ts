import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { FastPathForwarderStack } from '../../infra/constructs/fast-path.js';
import { defineApp } from '../../infra/define-app.js';
import { only, synth, type Synthesized } from './synth.js';
import { DEFAULT_FORWARDER_REGIONS } from '../../src/defaults.js';

const PATTERN = {
  'detail-type': [
    'AWS API Call via CloudTrail',
    'AWS Console Sign In via CloudTrail',
    'AWS Console Signin via CloudTrail',
  ],
  detail: {
    userIdentity: { type: ['Root'], invokedBy: [{ exists: false }] },
    eventType: [{ 'anything-but': 'AwsServiceEvent' }],
  },
};

type Resource = { Properties: Record<string, unknown> };
const rules = (s: { template: Template }) =>
  Object.values(s.template.findResources('AWS::Events::Rule') as Record<string, Resource>).map(
    (r) => r.Properties,
  );

describe('fast path in the main stack (default props)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth();
  });

  it('one rule on the default bus, the CIS-mirroring pattern, all management events, to the function', () => {
    const functionId = only(s.template, 'AWS::Lambda::Function').id;
    const dlqId =
      Object.entries(s.template.findResources('AWS::SQS::Queue')).find(
        ([, q]) => q.Properties.QueueName === 'secu-alert-dooray-events-dlq',
      )?.[0] ?? '';
    expect(rules(s)).toEqual([
      {
        Description: expect.any(String),
        EventPattern: PATTERN,
        State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
        Targets: [
          {
            Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
            Id: 'Target0',
            // EventBridge's whole retry window, then the dead-letter queue (not 2 attempts and gone).
            RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
          },
        ],
      },
    ]);
    expect(s.template.findResources('AWS::Events::EventBus')).toEqual({});
    // FailedInvocations of the rule alarm to the operations topic.
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events',
      MetricName: 'FailedInvocations',
      Dimensions: [{ Name: 'RuleName', Value: Match.anyValue() }],
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^OpsTopic') }],
    });
  });

  it('lets only that rule invoke the function through EventBridge', () => {
    const ruleId = Object.keys(s.template.findResources('AWS::Events::Rule'))[0] ?? '';
    const permissions = Object.values(
      s.template.findResources('AWS::Lambda::Permission') as Record<string, Resource>,
    ).map((r) => r.Properties);
    expect(permissions.filter((p) => p['Principal'] === 'events.amazonaws.com')).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [only(s.template, 'AWS::Lambda::Function').id, 'Arn'] },
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
      },
    ]);
  });

  it('the dedupe table: on-demand, key pk, TTL on expiresAt, named to the function', () => {
    const table = only(s.template, 'AWS::DynamoDB::Table');
    expect(table.properties).toEqual({
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    const env = only(s.template, 'AWS::Lambda::Function').properties.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(env.Variables['DEDUPE_TABLE_NAME']).toEqual({ Ref: table.id });
  });
});

describe('fast path receiving forwarded events', () => {
  it('adds the bus <function>-fast-path and a rule on it (plain ENABLED: forwarded events are not CloudTrail deliveries)', () => {
    const s = synth({ fastPath: { forwardedFromRegions: ['us-east-1'] } });
    const busId = only(s.template, 'AWS::Events::EventBus').id;
    expect(only(s.template, 'AWS::Events::EventBus').properties).toEqual({
      Name: 'secu-alert-dooray-fast-path',
    });
    expect(rules(s).find((r) => r['EventBusName'] !== undefined)).toMatchObject({
      EventBusName: { Ref: busId },
      EventPattern: PATTERN,
      State: 'ENABLED',
    });
    expect(s.nag.violations).toEqual([]);
  });

  it('fastPath: false → no rule, no bus', () => {
    const s = synth({ fastPath: false });
    expect(s.template.findResources('AWS::Events::Rule')).toEqual({});
    expect(s.template.findResources('AWS::Events::EventBus')).toEqual({});
  });
});

describe('forwarder stacks (defineApp)', () => {
  const app = (context: Record<string, string>, defaultRegion?: string) => {
    const a = new App({ context: { opsEmail: 'secops@example.com', ...context } });
    defineApp(a, defaultRegion);
    return a;
  };
  const forwarders = (a: App) =>
    a.node.children.filter((c): c is FastPathForwarderStack => c instanceof FastPathForwarderStack);

  it('-c region=ap-northeast-2 → a forwarder in every other default Region, to the main bus, with a role that may only put events there', () => {
    const a = app({ region: 'ap-northeast-2' });
    const all = forwarders(a);
    expect(all.map((f) => f.region)).toEqual(DEFAULT_FORWARDER_REGIONS.filter((r) => r !== 'ap-northeast-2'));
    expect(all).toHaveLength(16);
    const forwarder = all[0];
    if (!forwarder) throw new Error('no forwarder');
    expect(forwarder.stackName).toBe('SecuAlertDooray-Forwarder-us-east-1');
    expect(forwarder.region).toBe('us-east-1');
    const template = Template.fromStack(forwarder);
    const busArn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':events:ap-northeast-2:',
          { Ref: 'AWS::AccountId' },
          ':event-bus/secu-alert-dooray-fast-path',
        ],
      ],
    };
    expect(rules({ template })).toEqual([
      {
        Description: expect.any(String),
        EventPattern: PATTERN,
        State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
        Targets: [
          {
            Arn: busArn,
            Id: 'Target0',
            RoleArn: expect.anything(),
            DeadLetterConfig: { Arn: expect.anything() },
            RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
          },
        ],
      },
    ]);
    const statements = Object.values(
      template.findResources('AWS::IAM::Policy') as Record<string, Resource>,
    ).flatMap((p) => (p.Properties['PolicyDocument'] as { Statement: unknown[] }).Statement);
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn }]);
    // Undelivered events: the dead-letter queue's depth alarms to an ops topic in this Region, subscribed to
    // the same contact (an alarm cannot notify a topic in another Region).
    const dlqId = only(template, 'AWS::SQS::Queue').id;
    const opsTopicId = only(template, 'AWS::SNS::Topic').id;
    expect(only(template, 'AWS::SNS::Topic').properties).toMatchObject({
      TopicName: 'secu-alert-dooray-ops',
    });
    expect(only(template, 'AWS::CloudWatch::Alarm').properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: opsTopicId }],
    });
    expect(only(template, 'AWS::SNS::Subscription').properties).toEqual({
      TopicArn: { Ref: opsTopicId },
      Protocol: 'email',
      Endpoint: 'secops@example.com',
    });
    expect(Object.keys(template.toJSON().Resources).sort()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^ForwardRootUsageRule/)]),
    );
    expect(new AwsSolutionsChecks().validateScope(forwarder).violations).toEqual([]);
    const main = a.node.findChild('SecuAlertDooray');
    expect(forwarder.dependencies).toContain(main);
    expect(Template.fromStack(main as never).findResources('AWS::Events::EventBus')).not.toEqual({});
  });

  it('main Region from CDK_DEFAULT_REGION; none when the main Region is the only one, unknown (a warning), or the fast path is off', () => {
    expect(forwarders(app({}, 'eu-west-1')).map((f) => f.region)).toEqual(
      DEFAULT_FORWARDER_REGIONS.filter((r) => r !== 'eu-west-1'),
    );
    expect(forwarders(app({ fastPathRegions: 'us-east-1' }, 'us-east-1'))).toEqual([]);
    const unknown = app({});
    expect(forwarders(unknown)).toEqual([]);
    expect(
      Annotations.fromStack(unknown.node.findChild('SecuAlertDooray') as never).findWarning(
        '*',
        Match.stringLikeRegexp('main Region is unknown'),
      ),
    ).toHaveLength(1);
    expect(forwarders(app({ region: 'ap-northeast-2', fastPath: 'false' }))).toEqual([]);
    expect(
      forwarders(app({ region: 'ap-northeast-2', fastPathRegions: 'us-east-1,us-west-2,af-south-1' })).map(
        (f) => f.region,
      ),
    ).toEqual(['us-east-1', 'us-west-2', 'af-south-1']);
  });

  it('rejects a malformed Region', () => {
    expect(() => app({ fastPathRegions: 'Seoul' })).toThrow(/not a Region code: Seoul/);
  });
});

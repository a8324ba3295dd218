import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderConsoleTemplate } from '../../infra/console-template.js';
import {
  FORWARDER_TEMPLATE_FILE,
  ForwarderTemplateStack,
  renderForwarderTemplate,
} from '../../infra/forwarder-template.js';

type Resource = { Type: string; Condition?: string; Properties: Record<string, unknown> };

describe('forwarder template (deploy/, rolled out with a StackSet)', () => {
  let rendered: string;
  let template: {
    Parameters: Record<string, Record<string, unknown>>;
    Rules: Record<string, unknown>;
    Resources: Record<string, Resource>;
  };
  beforeAll(() => {
    rendered = renderForwarderTemplate();
    template = JSON.parse(rendered);
  });
  const ofType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);

  it('is the committed file: run `npm run synth:update` after changing the forwarder', () => {
    expect(rendered).toBe(readFileSync(FORWARDER_TEMPLATE_FILE, 'utf8'));
  });

  it('takes the main Region and the ops email; refuses the main Region itself; needs no bootstrap', () => {
    expect(Object.keys(template.Parameters).sort()).toEqual(['MainRegion', 'OpsEmail']);
    expect(template.Parameters.MainRegion?.Default).toBeUndefined();
    expect(template.Parameters.OpsEmail?.Default).toBeUndefined();
    expect(JSON.stringify(template.Rules)).toContain('"Ref":"MainRegion"');
    expect(rendered).not.toMatch(/cdk-bootstrap|cdk-hnb659fds|BootstrapVersion|[0-9a-f]{64}/);
  });

  it('forwards to the main bus named by MainRegion, keeps failures in a queue that alarms to a local ops topic', () => {
    const [[, rule]] = ofType('AWS::Events::Rule') as [[string, Resource]];
    expect(rule.Properties['State']).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    const [target] = rule.Properties['Targets'] as Record<string, unknown>[];
    expect(JSON.stringify(target?.['Arn'])).toContain('{"Ref":"MainRegion"}');
    expect(JSON.stringify(target?.['Arn'])).toContain('event-bus/secu-alert-dooray-fast-path');
    expect(target).toMatchObject({
      DeadLetterConfig: { Arn: expect.anything() },
      RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
    });
    const [[topicId]] = ofType('AWS::SNS::Topic') as [[string, Resource]];
    const [[queueId]] = ofType('AWS::SQS::Queue') as [[string, Resource]];
    const [[, alarm]] = ofType('AWS::CloudWatch::Alarm') as [[string, Resource]];
    expect(alarm.Properties).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      AlarmActions: [{ Ref: topicId }],
    });
    const [[, subscription]] = ofType('AWS::SNS::Subscription') as [[string, Resource]];
    expect(subscription).toMatchObject({
      Condition: 'HasOpsEmail',
      Properties: { Protocol: 'email', Endpoint: { Ref: 'OpsEmail' }, TopicArn: { Ref: topicId } },
    });
  });

  it('the main console template has the bus it sends to', () => {
    const main = JSON.parse(renderConsoleTemplate()) as { Resources: Record<string, Resource> };
    expect(
      Object.values(main.Resources)
        .filter((r) => r.Type === 'AWS::Events::EventBus')
        .map((r) => r.Properties),
    ).toEqual([{ Name: 'secu-alert-dooray-fast-path' }]);
  });

  it('passes cdk-nag', () => {
    const stack = new ForwarderTemplateStack(new App(), 'Forwarder');
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  });
});

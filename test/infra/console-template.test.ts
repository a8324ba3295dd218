import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CONSOLE_TEMPLATE_FILE,
  consoleTemplateStack,
  renderConsoleTemplate,
} from '../../infra/console-template.js';

type Resource = { Type: string; Condition?: string; Properties: Record<string, unknown> };

describe('console template (deploy/)', () => {
  let rendered: string;
  let template: { Parameters: Record<string, Record<string, unknown>>; Resources: Record<string, Resource> };
  beforeAll(() => {
    rendered = renderConsoleTemplate();
    template = JSON.parse(rendered);
  });

  it('is the committed file: run `npm run synth:update` after changing the stack', () => {
    // The template has no assets (the code comes from CodeBucket/CodeKey), so no hash needs ignoring.
    expect(rendered).toBe(readFileSync(CONSOLE_TEMPLATE_FILE, 'utf8'));
  });

  it('takes the code, the URL location, an existing log group, the ops email and message options as parameters', () => {
    expect(Object.keys(template.Parameters).sort()).toEqual([
      'BotName',
      'CodeBucket',
      'CodeKey',
      'DoorayHookUrl',
      'HookUrlKmsKeyArn',
      'HookUrlParameterName',
      'HookUrlSecretArn',
      'NotifyRecovery',
      'OpsEmail',
      'TrailLogGroupName',
    ]);
    expect(template.Parameters.CodeBucket?.Default).toBeUndefined();
    expect(template.Parameters.HookUrlParameterName?.Default).toBe('/secu-alert-dooray/hook-url');
    expect(template.Parameters.DoorayHookUrl).toMatchObject({ NoEcho: true, Default: '' });
    const lambda = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
    expect(lambda?.Properties.Code).toEqual({ S3Bucket: { Ref: 'CodeBucket' }, S3Key: { Ref: 'CodeKey' } });
  });

  it('needs no CDK bootstrap and holds no asset', () => {
    expect(rendered).not.toMatch(/cdk-bootstrap|cdk-hnb659fds|BootstrapVersion|[0-9a-f]{64}/);
  });

  it('creates the trail, its bucket and log group only when no log group is given', () => {
    const conditional = Object.values(template.Resources)
      .filter((r) => r.Condition === 'CreateTrail')
      .map((r) => r.Type)
      .sort();
    expect(conditional).toEqual([
      'AWS::CloudTrail::Trail',
      'AWS::IAM::Policy',
      'AWS::IAM::Role',
      'AWS::Logs::LogGroup',
      'AWS::S3::Bucket',
      'AWS::S3::BucketPolicy',
    ]);
    const filter = Object.values(template.Resources).find((r) => r.Type === 'AWS::Logs::MetricFilter');
    expect(filter?.Condition).toBeUndefined();
    expect(filter?.Properties.LogGroupName).toEqual({
      'Fn::If': [
        'CreateTrail',
        { Ref: expect.stringMatching(/^TrailLogGroup/) },
        { Ref: 'TrailLogGroupName' },
      ],
    });
  });

  it('reads the URL from the secret if given, else the plain URL if given, else the SSM parameter', () => {
    const lambda = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
    const common = {
      DEFAULT_BOT_NAME: { Ref: 'BotName' },
      NOTIFY_STATES: { 'Fn::If': ['SendRecoveryMessages', 'ALARM,OK', 'ALARM'] },
      DEDUPE_TABLE_NAME: { Ref: expect.stringMatching(/^DedupeTable/) },
      TEST_MARK_KEY_SECRET_ARN: { Ref: expect.stringMatching(/^TestMarkKey/) },
      SELF_TEST_ALARM_NAME: 'root-alert-self-test',
    };
    expect(lambda?.Properties.Environment).toEqual({
      Variables: {
        'Fn::If': [
          'UseHookUrlSecret',
          { ...common, DOORAY_HOOK_URL_SECRET_ARN: { Ref: 'HookUrlSecretArn' } },
          {
            'Fn::If': [
              'UsePlainHookUrl',
              { ...common, DOORAY_HOOK_URL: { Ref: 'DoorayHookUrl' } },
              { ...common, DOORAY_HOOK_URL_PARAMETER: { Ref: 'HookUrlParameterName' } },
            ],
          },
        ],
      },
    });
    const policies = Object.values(template.Resources).filter((r) => r.Type === 'AWS::IAM::Policy');
    const byCondition = (condition: string) =>
      policies
        .filter((p) => p.Condition === condition)
        .flatMap((p) => (p.Properties.PolicyDocument as { Statement: { Action: string }[] }).Statement)
        .map((statement) => statement.Action);
    expect(byCondition('UseHookUrlSecret')).toEqual(['secretsmanager:GetSecretValue']);
    expect(byCondition('UseHookUrlParameter')).toEqual(['ssm:GetParameter']);
    expect(byCondition('HasHookUrlKmsKey')).toEqual(['kms:Decrypt']);
  });

  it('adds the alarm OK action only when recovery messages are chosen', () => {
    expect(template.Parameters.NotifyRecovery).toMatchObject({
      Default: 'false',
      AllowedValues: ['false', 'true'],
    });
    const alarm = Object.values(template.Resources).find(
      (r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.AlarmName === 'root-alert',
    );
    const topicRef = (alarm?.Properties.AlarmActions as unknown[])[0];
    expect(alarm?.Properties.OKActions).toEqual({
      'Fn::If': ['SendRecoveryMessages', [topicRef], { Ref: 'AWS::NoValue' }],
    });
  });

  it('subscribes the ops email only when one is given', () => {
    const email = Object.values(template.Resources).find(
      (r) => r.Type === 'AWS::SNS::Subscription' && r.Properties.Protocol === 'email',
    );
    expect(email).toMatchObject({ Condition: 'HasOpsEmail', Properties: { Endpoint: { Ref: 'OpsEmail' } } });
  });

  it('has no unacknowledged cdk-nag finding', () => {
    const stack = consoleTemplateStack(new App());
    Template.fromStack(stack);
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { checkInvokePermission, checkNetwork, logGroupName } from '../../src/audit/checks.js';
import { normalisePattern } from '../../src/audit/pattern.js';
import { actionOutcome } from '../../src/cli/fire-test.js';
import { originalEvent } from '../../src/cli/commands/replay.js';
import { ROOT_USAGE_FILTER_PATTERN } from '../../src/defaults.js';
import { FUNCTION_ARN, TOPIC_ARN } from './aws-account.js';

describe('audit helpers', () => {
  it('normalisePattern ignores whitespace outside quotes only', () => {
    expect(normalisePattern('{$.userIdentity.type="Root"}')).toBe(
      normalisePattern('{ $.userIdentity.type = "Root" }'),
    );
    expect(normalisePattern('{ $.a = "x y" }')).not.toBe(normalisePattern('{ $.a = "xy" }'));
    expect(normalisePattern(ROOT_USAGE_FILTER_PATTERN)).toContain('"AwsServiceEvent"');
  });

  it('logGroupName reads the name out of a log group ARN, with or without :*', () => {
    expect(logGroupName('arn:aws:logs:ap-northeast-2:111122223333:log-group:aws-cloudtrail-logs:*')).toBe(
      'aws-cloudtrail-logs',
    );
    expect(logGroupName('arn:aws:logs:ap-northeast-2:111122223333:log-group:/a/b')).toBe('/a/b');
  });

  it('checkInvokePermission accepts ArnLike wildcards and a list of services; rejects Deny', () => {
    const policy = (statement: Record<string, unknown>): string =>
      JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
    const allow = {
      Effect: 'Allow',
      Principal: { Service: ['events.amazonaws.com', 'sns.amazonaws.com'] },
      Action: ['lambda:InvokeFunction'],
      Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:sns:ap-northeast-2:111122223333:root-*' } },
    };
    expect(checkInvokePermission(policy(allow), TOPIC_ARN, FUNCTION_ARN)[0]?.status).toBe('PASS');
    expect(
      checkInvokePermission(policy({ ...allow, Effect: 'Deny' }), TOPIC_ARN, FUNCTION_ARN)[0]?.status,
    ).toBe('FAIL');
    expect(checkInvokePermission('not json', TOPIC_ARN, FUNCTION_ARN)[0]?.detail).toMatch(/is not JSON/);
  });

  it('checkNetwork: a blackhole NAT route does not count; the main table is used when given', () => {
    const table = (state: 'active' | 'blackhole') => ({
      Routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1', State: state }],
    });
    expect(checkNetwork(['subnet-1'], { 'subnet-1': table('blackhole') })[0]?.status).toBe('WARN');
    expect(checkNetwork(['subnet-1'], { 'subnet-1': table('active') })[0]?.status).toBe('PASS');
    expect(checkNetwork(['subnet-1'], {})[0]?.status).toBe('WARN');
  });
});

describe('fire and replay helpers', () => {
  it('actionOutcome reads HistoryData, falls back on the summary, ignores non-SNS actions', () => {
    expect(
      actionOutcome({ HistoryItemType: 'Action', HistorySummary: `Failed to execute action ${TOPIC_ARN}` }),
    ).toEqual({ ok: false, topic: TOPIC_ARN, error: `Failed to execute action ${TOPIC_ARN}` });
    expect(
      actionOutcome({
        HistoryItemType: 'Action',
        HistorySummary: `Successfully executed action ${TOPIC_ARN}`,
      })?.ok,
    ).toBe(true);
    expect(
      actionOutcome({
        HistoryItemType: 'Action',
        HistorySummary: 'Successfully executed action arn:aws:lambda:ap-northeast-2:111122223333:function:x',
      }),
    ).toBeUndefined();
  });

  it('originalEvent takes requestPayload of an on-failure record, else the body; undefined for non-objects', () => {
    expect(
      originalEvent(
        JSON.stringify({ requestPayload: { a: 1 }, requestContext: { condition: 'EventAgeExceeded' } }),
      ),
    ).toEqual({
      event: { a: 1 },
      condition: 'EventAgeExceeded',
    });
    expect(originalEvent(JSON.stringify({ Records: [] }))).toEqual({
      event: { Records: [] },
      condition: 'dlq',
    });
    expect(originalEvent('[1,2]')).toBeUndefined();
    expect(originalEvent(undefined)).toBeUndefined();
  });
});

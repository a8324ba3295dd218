import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FLUSH_INPUT, FLUSH_SCHEDULE_EXPRESSION } from '../../src/defaults.js';
import { only, synth, type Synthesized } from './synth.js';

type Resource = { Properties: Record<string, unknown> };

describe('the scheduled flush of flood control (issue 9: held events are named within the bound)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth();
  });

  it('invokes the function every minute with the flush input, with a retry window and the dead-letter queue', () => {
    const functionId = only(s.template, 'AWS::Lambda::Function').id;
    const schedules = Object.values(
      s.template.findResources('AWS::Scheduler::Schedule') as Record<string, Resource>,
    ).map((r) => r.Properties);
    const flush = schedules.filter((p) => p['ScheduleExpression'] === FLUSH_SCHEDULE_EXPRESSION);
    expect(flush).toHaveLength(1);
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: FLUSH_SCHEDULE_EXPRESSION,
      Target: {
        Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
        Input: JSON.stringify(FLUSH_INPUT),
        RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
        DeadLetterConfig: { Arn: Match.anyValue() },
      },
    });
  });

  it('lets the function scan the table for due sessions and delete a claim it gives up', () => {
    s.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['dynamodb:DeleteItem', 'dynamodb:Scan']),
          }),
        ]),
      },
    });
  });

  it('no flush without the fast path (nothing is held then)', () => {
    const without = synth({ fastPath: false });
    const schedules = Object.values(
      without.template.findResources('AWS::Scheduler::Schedule') as Record<string, Resource>,
    ).map((r) => r.Properties['ScheduleExpression']);
    expect(schedules).not.toContain(FLUSH_SCHEDULE_EXPRESSION);
  });
});

import { Aws, type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FLUSH_INPUT, FLUSH_SCHEDULE_EXPRESSION } from '../../src/defaults.js';

/** Properties of {@link FlushSchedule}. */
export interface FlushScheduleProps {
  /** The alert function: invoked with `FLUSH_INPUT` (`{"secuAlert":"flush"}`). */
  readonly function: lambda.IFunction;
  /** Where an invocation the schedule could not make within its retry window goes. */
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * EventBridge Scheduler expression (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html).
   * @default 'rate(1 minute)' — `FLUSH_SCHEDULE_EXPRESSION`
   */
  readonly expression?: string;
}

/**
 * The scheduled flush of flood control: every minute the function is invoked with `FLUSH_INPUT` and delivers
 * the digest of every root session whose held events are due (held `DIGEST_MAX_DELAY_MS` ago, 5 minutes by
 * default), so that a held event is named in a room even when its session sends nothing more. An invocation the
 * schedule cannot make is retried for 24 hours (185 attempts, Scheduler's limits:
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-retry-policy.html) and then kept in
 * the dead-letter queue, whose depth alarms to the operations contact. A failed flush (a digest Dooray refused)
 * fails the invocation, so Lambda's own retries and the on-failure destination see it too; the held events stay
 * in the table for the next flush.
 */
export class FlushSchedule extends Construct {
  /** The schedule. */
  readonly schedule: scheduler.Schedule;
  /** The role the schedule assumes: it may only invoke the function. */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: FlushScheduleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      description: 'secu-alert-dooray flush: invokes the alert function',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });
    const functionId = Stack.of(this).getLogicalId(props.function.node.defaultChild as CfnElement);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason:
        'Added by Function.grantInvoke for the schedule target: the function and its versions or aliases ' +
        '(`:*`); the schedule invokes the unqualified function, and the role may invoke nothing else.',
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'secu-alert-dooray: deliver the due digests of root sessions held by flood control',
      schedule: scheduler.ScheduleExpression.expression(props.expression ?? FLUSH_SCHEDULE_EXPRESSION),
      target: new targets.LambdaInvoke(props.function, {
        input: scheduler.ScheduleTargetInput.fromObject(FLUSH_INPUT),
        deadLetterQueue: props.deadLetterQueue,
        maxEventAge: Duration.hours(24),
        retryAttempts: 185,
        role: this.role,
      }),
    });
  }
}

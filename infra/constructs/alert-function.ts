import { ArnFormat, Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DEDUPE_KEY_ATTRIBUTE,
  DEDUPE_TTL_ATTRIBUTE,
  ENV,
  LAMBDA_MEMORY_MB,
  LAMBDA_TIMEOUT_SECONDS,
} from '../../src/defaults.js';

/** Default retention of the function's log group, in days. */
export const DEFAULT_FUNCTION_LOG_RETENTION = logs.RetentionDays.THREE_MONTHS;
/** Default maximum age of an asynchronous invocation event before it goes to the failure queue. */
export const DEFAULT_MAX_EVENT_AGE = Duration.hours(6);
/** Lambda retries of a failed asynchronous invocation (the maximum Lambda allows). */
export const ASYNC_RETRY_ATTEMPTS = 2;

/** Properties of {@link AlertFunction}. */
export interface AlertFunctionProps {
  /** Name of the function. */
  readonly functionName: string;
  /** The handler bundle. */
  readonly code: lambda.Code;
  /** The handler's environment; the construct adds `DEDUPE_TABLE_NAME`. */
  readonly environment: Readonly<Record<string, string>>;
  /** The topic the function subscribes to (only this topic may invoke it through SNS). */
  readonly topic: sns.ITopic;
  /** On-failure destination of the asynchronous invocations, after Lambda's retries. */
  readonly failureQueue: sqs.IQueue;
  /**
   * The trail's log group, searched for the events behind an alarm (`logs:FilterLogEvents` on it only).
   * @default - no enrichment grant: messages say the lookup was not allowed
   */
  readonly trailLogGroup?: logs.ILogGroup;
  /**
   * Retention of the function's own log group, in days.
   * @default 90
   */
  readonly logRetentionDays?: logs.RetentionDays;
  /**
   * Reserved concurrency of the function (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).
   * @default - none
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Maximum age of an asynchronous invocation event; older events go to the failure queue
   * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-configure.html). 60 s – 6 h.
   * @default 6 hours
   */
  readonly maxEventAge?: Duration;
}

/**
 * The alert function `secu-alert-dooray` with what it needs: its own role and log group, the dedupe table, read
 * access for enrichment and the account alias, asynchronous retries into the failure queue, and the
 * subscription to the alarm topic. Where it reads the webhook URL is added by the stack (`role`, `function`).
 */
export class AlertFunction extends Construct {
  /** The function that posts to Dooray. */
  readonly function: lambda.Function;
  /** Its execution role. */
  readonly role: iam.Role;
  /** The dedupe store shared by invocations (`DEDUPE_TABLE_NAME`). */
  readonly table: dynamodb.Table;
  /** The environment the function was created with (the given one plus `DEDUPE_TABLE_NAME`). */
  readonly environment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: AlertFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'FunctionLogGroup', {
      retention: props.logRetentionDays ?? DEFAULT_FUNCTION_LOG_RETENTION,
    });
    this.role = new iam.Role(this, 'FunctionRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.functionName}: its log group, the webhook URL, its failure queue`,
    });
    // The log group's ARN attribute ends in `:*`: that wildcard covers its own log streams and nothing else.
    logGroup.grantWrite(this.role);
    if (props.trailLogGroup) this.grantEnrichment(props.trailLogGroup);
    this.table = this.dedupeTable();
    this.grantAccountAlias();
    this.environment = { ...props.environment, [ENV.dedupeTable]: this.table.tableName };
    this.function = new lambda.Function(this, 'Function', {
      functionName: props.functionName,
      description: 'Posts CloudWatch alarm notifications (root-account usage) to a Dooray! messenger room',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: props.code,
      memorySize: LAMBDA_MEMORY_MB,
      timeout: Duration.seconds(LAMBDA_TIMEOUT_SECONDS),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      role: this.role,
      logGroup,
      environment: { ...this.environment },
      retryAttempts: ASYNC_RETRY_ATTEMPTS,
      maxEventAge: props.maxEventAge ?? DEFAULT_MAX_EVENT_AGE,
      onFailure: new destinations.SqsDestination(props.failureQueue),
    });
    this.subscribeTo(props.topic);
  }

  /** Subscription topic → function, and the permission that lets only this topic invoke it. */
  private subscribeTo(topic: sns.ITopic): void {
    this.function.addPermission('InvokeFromTopic', {
      principal: new iam.ServicePrincipal('sns.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceArn: topic.topicArn,
      sourceAccount: Aws.ACCOUNT_ID,
    });
    new sns.Subscription(this, 'FunctionSubscription', {
      topic,
      protocol: sns.SubscriptionProtocol.LAMBDA,
      endpoint: this.function.functionArn,
    });
  }

  /**
   * The account alias shown beside the account id (`src/lambda/account-alias.ts`): `iam:ListAccountAliases`,
   * which has no resource type, so `*` (Service Authorization Reference, "Actions, resources, and condition keys
   * for AWS Identity and Access Management").
   */
  private grantAccountAlias(): void {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadAccountAlias',
        actions: ['iam:ListAccountAliases'],
        resources: ['*'],
      }),
    );
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'iam:ListAccountAliases supports no resource-level permission: it returns only the alias of this ' +
        'account, cached by the function for an hour.',
    });
  }

  /**
   * The dedupe store shared by invocations (`DEDUPE_TABLE_NAME`): on-demand, TTL on `expiresAt`, removed with
   * the stack (it holds only keys that expire within 7 days, and the Dooray send slots of `DynamoPacer`). The
   * function may get, put, update and delete items and scan (the flush), nothing else.
   */
  private dedupeTable(): dynamodb.Table {
    const table = new dynamodb.Table(this, 'DedupeTable', {
      partitionKey: { name: DEDUPE_KEY_ATTRIBUTE, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: DEDUPE_TTL_ATTRIBUTE,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Scan: the scheduled flush finds sessions with held events (a small table: keys expiring within 7 days);
    // DeleteItem: a claim given up after a failed post.
    table.grant(
      this.role,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:Scan',
    );
    Validations.of(table).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason:
        'The table only remembers which alerts and CloudTrail eventIDs were delivered, for 7 days (TTL), and ' +
        'the next Dooray send slot; losing it means at most a repeated message, so point-in-time recovery ' +
        'buys nothing.',
    });
    return table;
  }

  /**
   * Enrichment of alarm alerts (`src/lambda/enrich.ts`): `logs:DescribeMetricFilters` to find the metric filter
   * by metric namespace and name — the call names no log group, so it is authorized on the Region's log groups
   * (`log-group:*`; Service Authorization Reference, "Actions, resources, and condition keys for Amazon
   * CloudWatch Logs") and reads filter definitions only — and `logs:FilterLogEvents` on the trail's log group
   * only. With an existing alarm (createAlarm: false) the log group is unknown: no grant, and messages say the
   * lookup was not allowed.
   */
  private grantEnrichment(trailLogs: logs.ILogGroup): void {
    const stack = Stack.of(this);
    // The pseudo parameters, also in a stack with a concrete Region: the acknowledgement below names them.
    const logGroups = stack.formatArn({
      service: 'logs',
      region: Aws.REGION,
      account: Aws.ACCOUNT_ID,
      resource: 'log-group',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'FindMetricFilter',
        actions: ['logs:DescribeMetricFilters'],
        resources: [logGroups],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SearchTrailLogGroup',
        actions: ['logs:FilterLogEvents'],
        // The log group's ARN with `:*`, as CloudFormation's `Arn` attribute and CDK's imported log groups give
        // it (`…:log-group:NAME:*`: that group's own streams, no other group). The Service Authorization
        // Reference ("Actions, resources, and condition keys for Amazon CloudWatch Logs",
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html)
        // authorizes FilterLogEvents on the resource type log-group, `…:log-group:${LogGroupName}`, but IAM matches
        // the request of several log-group actions against `…:log-group:NAME:*` (the form of the CloudFormation
        // `Arn` attribute and of the CloudWatch Logs policy examples,
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-identity-based-access-control-cwl.html),
        // so the name alone can be denied.
        resources: [trailLogs.logGroupArn],
      }),
    );
    if (!(trailLogs instanceof logs.LogGroup)) {
      // A log group of the stack has the `Arn` attribute (a token); an existing one, a literal ending in `:*`.
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagText(stack.resolve(trailLogs.logGroupArn))}]`,
        reason:
          'logs:FilterLogEvents on the trail log group only: the `:*` after its name is the ARN form IAM ' +
          'matches for log-group actions and covers the log streams of that one group.',
      });
    }
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*]`,
      reason:
        'logs:DescribeMetricFilters by metric name names no log group; it lists metric filter definitions ' +
        '(patterns, metric names), no log data. Log data is read only from the trail log group.',
    });
  }
}

/** A resolved CloudFormation value as cdk-nag writes it in a finding id: pseudo parameters as `<AWS::…>`. */
function nagText(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join !== undefined) return join[1].map(nagText).join(join[0]);
  const ref = (value as { Ref?: unknown }).Ref;
  if (typeof ref === 'string' && ref.startsWith('AWS::')) return `<${ref}>`;
  return JSON.stringify(value);
}

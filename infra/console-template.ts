import { fileURLToPath } from 'node:url';
import {
  App,
  BootstraplessSynthesizer,
  CfnCondition,
  CfnParameter,
  CfnResource,
  Fn,
  Validations,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct, IConstruct } from 'constructs';
import {
  DEFAULT_BOT_NAME,
  DEFAULT_FORWARDER_REGIONS,
  ENV,
  HOOK_URL_PARAMETER_NAME,
} from '../src/defaults.js';
import type { AlertFunction } from './constructs/alert-function.js';
import { NewTrail } from './constructs/trail-source.js';
import {
  HOOK_URL_CFN_PARAMETER,
  kmsDecryptStatement,
  readParameterStatement,
  readSecretStatement,
} from './hook-url.js';
import {
  DEFAULT_TRAIL_LOG_RETENTION,
  type DeployTimeChoices,
  opsEmailSubscription,
  SecuAlertDoorayStack,
  type SecuAlertDoorayStackProps,
} from './stack.js';

/**
 * The CloudFormation template for console users, committed under `deploy/`: it takes the Lambda zip of
 * `npm run package` as `CodeBucket`/`CodeKey` parameters, so it deploys from the CloudFormation console without
 * CDK, a bootstrap or assets. `npm run synth:update` rewrites it; a test fails when it drifts from the code.
 */
export const CONSOLE_TEMPLATE_FILE = fileURLToPath(
  new URL('../deploy/secu-alert-dooray.template.json', import.meta.url),
);

/** The `OpsEmail` value that knowingly deploys without an operations contact. */
export const NO_OPS_CONTACT = 'none';

/** The props that the console template chooses at deploy time, as CloudFormation parameters. */
const CHOSEN_AT_DEPLOY = [
  'code',
  'hookUrl',
  'trailLogGroupName',
  'opsEmail',
  'botName',
  'notifyStates',
  'existingTopicArn',
] as const;

/** Properties of {@link ConsoleTemplateStack}: those of the stack but what is chosen at deploy time. */
export type ConsoleTemplateStackProps = Omit<
  SecuAlertDoorayStackProps,
  (typeof CHOSEN_AT_DEPLOY)[number] | 'createAlarm'
>;

/** Gives every CloudFormation resource under `scope` the condition `condition`. */
function onlyIf(scope: IConstruct, condition: CfnCondition): void {
  for (const child of scope.node.findAll()) {
    if (child instanceof CfnResource) child.cfnOptions.condition = condition;
  }
}

/**
 * The stack as the console template: the code, the hook-URL location, the trail log group, the operations
 * email, the bot name and recovery messages become CloudFormation parameters chosen at deploy time, so the
 * template deploys from the CloudFormation console without CDK. It always creates its topic and alarm.
 */
export class ConsoleTemplateStack extends SecuAlertDoorayStack {
  constructor(scope: Construct, id: string, props: ConsoleTemplateStackProps = {}) {
    // The type leaves these out; a JavaScript caller may still give them.
    const given = CHOSEN_AT_DEPLOY.filter((name) => (props as SecuAlertDoorayStackProps)[name] !== undefined);
    if (given.length > 0) {
      throw new Error(
        `consoleTemplate chooses these at deploy time (and always creates its topic): leave ${given.join(', ')} unset`,
      );
    }
    if ((props as SecuAlertDoorayStackProps).createAlarm === false) {
      throw new Error('consoleTemplate always creates the alarm');
    }
    super(scope, id, props);
    this.describeParameters();
  }

  /** The bot name and recovery messages (`NOTIFY_STATES` `ALARM,OK` with the alarm's OK action). */
  protected override deployTimeChoices(): DeployTimeChoices {
    const botName = new CfnParameter(this, 'BotName', {
      type: 'String',
      default: DEFAULT_BOT_NAME,
      minLength: 1,
      description: 'Sender name of the messages in the Dooray room (DEFAULT_BOT_NAME).',
    });
    const recoveryParameter = new CfnParameter(this, 'NotifyRecovery', {
      type: 'String',
      default: 'false',
      allowedValues: ['false', 'true'],
      description: 'true: also send a message when the alarm returns to OK (NOTIFY_STATES ALARM,OK).',
    });
    const recovery = new CfnCondition(this, 'SendRecoveryMessages', {
      expression: Fn.conditionEquals(recoveryParameter.valueAsString, 'true'),
    });
    return {
      environment: {
        [ENV.botName]: botName.valueAsString,
        [ENV.notifyStates]: Fn.conditionIf(recovery.logicalId, 'ALARM,OK', 'ALARM').toString(),
      },
      recovery,
    };
  }

  /** The `TrailLogGroupName` parameter; empty: a new trail, its bucket and log group. */
  protected override trailLogGroup(props: SecuAlertDoorayStackProps): logs.ILogGroup {
    const existing = new CfnParameter(this, 'TrailLogGroupName', {
      type: 'String',
      default: '',
      description:
        'Existing CloudWatch Logs log group that a CloudTrail trail delivers to. Empty: create a new ' +
        'multi-region trail, its S3 bucket and log group.',
    });
    const createTrail = new CfnCondition(this, 'CreateTrail', {
      expression: Fn.conditionEquals(existing.valueAsString, ''),
    });
    const trail = new NewTrail(this, 'Trail', {
      logRetentionDays: props.trailLogRetentionDays ?? DEFAULT_TRAIL_LOG_RETENTION,
      bucketExpirationDays: props.trailBucketExpirationDays,
    });
    onlyIf(trail, createTrail);
    const name = Fn.conditionIf(createTrail.logicalId, trail.logGroup.logGroupName, existing.valueAsString);
    return logs.LogGroup.fromLogGroupName(this, 'TrailLogGroup', name.toString());
  }

  /** Code from the `CodeBucket`/`CodeKey` parameters (the zip of `npm run package`). */
  protected override functionCode(): lambda.Code {
    const bucket = new CfnParameter(this, 'CodeBucket', {
      type: 'String',
      description: 'S3 bucket (same region) holding the Lambda zip built by `npm run package`.',
      allowedPattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
    });
    const key = new CfnParameter(this, 'CodeKey', {
      type: 'String',
      default: 'secu-alert-dooray-lambda.zip',
      description: 'S3 key of the Lambda zip in CodeBucket.',
    });
    return lambda.Code.fromBucket(
      s3.Bucket.fromBucketName(this, 'CodeBucketRef', bucket.valueAsString),
      key.valueAsString,
    );
  }

  /**
   * The URL source is chosen at deploy time. A secret ARN wins, then a plain URL, else the SSM parameter name;
   * each source gets its own conditional policy and environment.
   */
  protected override readHookUrl(_props: SecuAlertDoorayStackProps, alert: AlertFunction): void {
    const parameterName = new CfnParameter(this, 'HookUrlParameterName', {
      type: 'String',
      default: HOOK_URL_PARAMETER_NAME,
      allowedPattern: '^/[a-zA-Z0-9_.\\-/]+$',
      description:
        'SSM SecureString parameter holding the Dooray webhook URL (used unless a secret or URL is given).',
    });
    const secretArn = new CfnParameter(this, 'HookUrlSecretArn', {
      type: 'String',
      default: '',
      allowedPattern: '^(arn:[a-z-]+:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+)?$',
      description:
        'Complete ARN of a Secrets Manager secret holding the URL (or {"url": …}); empty: not used.',
    });
    const kmsKeyArn = new CfnParameter(this, 'HookUrlKmsKeyArn', {
      type: 'String',
      default: '',
      description: 'ARN of the customer-managed KMS key of the parameter or secret; empty: AWS-managed key.',
    });
    const plainUrl = this.plainHookUrlParameter(true);
    const useSecret = new CfnCondition(this, 'UseHookUrlSecret', {
      expression: Fn.conditionNot(Fn.conditionEquals(secretArn.valueAsString, '')),
    });
    const usePlain = new CfnCondition(this, 'UsePlainHookUrl', {
      expression: Fn.conditionAnd(
        Fn.conditionNot(useSecret),
        Fn.conditionNot(Fn.conditionEquals(plainUrl.valueAsString, '')),
      ),
    });
    const useParameter = new CfnCondition(this, 'UseHookUrlParameter', {
      expression: Fn.conditionAnd(Fn.conditionNot(useSecret), Fn.conditionNot(usePlain)),
    });
    const hasKey = new CfnCondition(this, 'HasHookUrlKmsKey', {
      expression: Fn.conditionNot(Fn.conditionEquals(kmsKeyArn.valueAsString, '')),
    });
    const conditionalPolicy = (id: string, statement: iam.PolicyStatement, condition: CfnCondition): void => {
      onlyIf(new iam.Policy(this, id, { statements: [statement], roles: [alert.role] }), condition);
    };
    conditionalPolicy('ReadHookUrlSecretPolicy', readSecretStatement(secretArn.valueAsString), useSecret);
    conditionalPolicy(
      'ReadHookUrlParameterPolicy',
      readParameterStatement(parameterName.valueAsString),
      useParameter,
    );
    conditionalPolicy(
      'DecryptHookUrlPolicy',
      kmsDecryptStatement(kmsKeyArn.valueAsString, ['ssm', 'secretsmanager']),
      hasKey,
    );
    const environment = alert.environment;
    const fn = alert.function.node.defaultChild as lambda.CfnFunction;
    fn.addPropertyOverride(
      'Environment.Variables',
      Fn.conditionIf(
        useSecret.logicalId,
        { ...environment, [ENV.hookUrlSecretArn]: secretArn.valueAsString },
        Fn.conditionIf(
          usePlain.logicalId,
          { ...environment, [ENV.hookUrl]: plainUrl.valueAsString },
          { ...environment, [ENV.hookUrlParameter]: parameterName.valueAsString },
        ),
      ),
    );
  }

  /** The required `OpsEmail` parameter, subscribed unless it is {@link NO_OPS_CONTACT}. */
  protected override subscribeOps(_props: SecuAlertDoorayStackProps, opsTopic: sns.ITopic): void {
    const email = new CfnParameter(this, 'OpsEmail', {
      type: 'String',
      allowedPattern: `^([^@\\s]+@[^@\\s]+\\.[^@\\s]+|${NO_OPS_CONTACT})$`,
      constraintDescription: `an email address, or ${NO_OPS_CONTACT}`,
      description:
        'Required. Email address that hears of failed deliveries, dead-letter queues and failed rule ' +
        `invocations (confirm the email SNS sends), or ${NO_OPS_CONTACT} to deploy without one (not recommended).`,
    });
    const hasEmail = new CfnCondition(this, 'HasOpsEmail', {
      expression: Fn.conditionNot(Fn.conditionEquals(email.valueAsString, NO_OPS_CONTACT)),
    });
    onlyIf(opsEmailSubscription(this, opsTopic, email.valueAsString), hasEmail);
  }

  /**
   * Groups and labels the parameters in the CloudFormation console
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-cloudformation-interface.html), and
   * acknowledges the two findings of CDK's template validation that conditions make false.
   */
  private describeParameters(): void {
    this.templateOptions.metadata = {
      'AWS::CloudFormation::Interface': {
        ParameterGroups: [
          { Label: { default: 'Lambda code (npm run package)' }, Parameters: ['CodeBucket', 'CodeKey'] },
          {
            Label: { default: 'Dooray webhook URL: one source' },
            Parameters: [
              'HookUrlParameterName',
              'HookUrlSecretArn',
              'HookUrlKmsKeyArn',
              HOOK_URL_CFN_PARAMETER,
            ],
          },
          { Label: { default: 'CloudTrail' }, Parameters: ['TrailLogGroupName'] },
          { Label: { default: 'Messages' }, Parameters: ['BotName', 'NotifyRecovery'] },
          { Label: { default: 'Operations' }, Parameters: ['OpsEmail'] },
        ],
      },
    };
    Validations.of(this).acknowledge(
      {
        id: 'CloudFormation-Validate::W1030',
        reason:
          'The metric filter uses TrailLogGroupName only when it is not empty (Fn::If on CreateTrail); an ' +
          'empty value creates a trail and a log group instead.',
      },
      {
        id: 'CloudFormation-Validate::W2509',
        reason:
          'HookUrlSecretArn is the ARN of a Secrets Manager secret, not a secret value: NoEcho would hide it.',
      },
    );
  }
}

/** The console-template variant of the stack, in `app`. */
export function consoleTemplateStack(app: App): ConsoleTemplateStack {
  return new ConsoleTemplateStack(app, 'SecuAlertDooray', {
    // No bootstrap resources: a console deployment has none, and this synthesizer fails if an asset appears.
    synthesizer: new BootstraplessSynthesizer(),
    analyticsReporting: false,
    // The bus that the forwarder template (a StackSet over the other Regions) sends to.
    fastPath: { forwardedFromRegions: [...DEFAULT_FORWARDER_REGIONS] },
    description:
      'secu-alert-dooray: AWS root-account usage alerts to a Dooray! messenger room (console template; ' +
      'generated by npm run synth:update, do not edit)',
  });
}

/** The console template as the JSON text committed in {@link CONSOLE_TEMPLATE_FILE}. */
export function renderConsoleTemplate(): string {
  const app = new App({ context: { 'aws:cdk:enable-path-metadata': false } });
  const stack = consoleTemplateStack(app);
  const template: unknown = app.synth().getStackArtifact(stack.artifactId).template;
  return `${JSON.stringify(template, null, 2)}\n`;
}

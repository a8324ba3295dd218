import { Annotations, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FastPathForwarderStack } from './constructs/fast-path.js';
import { settingsFromContext } from './context.js';
import { fastPathBusName, SecuAlertDoorayStack } from './stack.js';
import { FUNCTION_NAME } from '../src/defaults.js';

/**
 * Puts the deployable stack into `app`, with the props its context (`-c key=value`) asks for — which must name
 * an operations contact (`opsEmail`) or opt out of one (`noOpsContact=true`, a warning), else it throws — and registers
 * cdk-nag's AwsSolutions checks, which stop synthesis on any unacknowledged finding. With the fast path on and
 * the main Region known (`-c region`, else the `CDK_DEFAULT_REGION` the CDK CLI sets from the credentials), each
 * other Region of `fastPathRegions` gets a `FastPathForwarderStack` named `<stackName>-Forwarder-<region>`
 * (deploy them all with `--all`).
 * @param defaultRegion the Region CDK would deploy an env-agnostic stack to, when known
 */
export function defineApp(
  app: App,
  defaultRegion: string | undefined = process.env['CDK_DEFAULT_REGION'],
): SecuAlertDoorayStack {
  const { stackName, props, region, fastPathRegions, noOpsContact } = settingsFromContext((key) =>
    app.node.tryGetContext(key),
  );
  if (props.opsEmail === undefined && !noOpsContact) {
    throw new Error(
      'An operations contact is required: give -c opsEmail=<address> (it hears of failed deliveries, dead-letter ' +
        'queues and failed rule invocations), or -c noOpsContact=true to deploy without one.',
    );
  }
  const mainRegion = region ?? defaultRegion;
  const forwarded = mainRegion === undefined ? [] : fastPathRegions.filter((r) => r !== mainRegion);
  const stack = new SecuAlertDoorayStack(app, stackName, {
    ...props,
    ...(region === undefined ? {} : { env: { region } }),
    ...(props.fastPath === false ? {} : { fastPath: { forwardedFromRegions: forwarded } }),
    description: 'secu-alert-dooray: AWS root-account usage alerts to a Dooray! messenger room',
  });
  if (mainRegion !== undefined) {
    for (const from of forwarded) {
      const forwarder = new FastPathForwarderStack(app, `${stackName}-Forwarder-${from}`, {
        env: { region: from },
        mainRegion,
        busName: fastPathBusName(props.functionName ?? FUNCTION_NAME),
        functionName: props.functionName ?? FUNCTION_NAME,
        ...(props.opsEmail === undefined ? {} : { opsEmail: props.opsEmail }),
        description: `secu-alert-dooray: forwards root-account usage events from ${from} to ${mainRegion}`,
      });
      forwarder.addStackDependency(stack, 'the forwarded-events bus must exist first');
    }
  }
  if (mainRegion === undefined && props.fastPath !== false) {
    Annotations.of(stack).addWarningV2(
      'secu-alert-dooray:no-forwarders',
      'The main Region is unknown (no -c region, no CDK_DEFAULT_REGION from credentials), so no forwarder ' +
        'stacks were made: root usage in other Regions reaches the room only through the alarm. Give -c region=<code>.',
    );
  }
  if (props.opsEmail === undefined) {
    Annotations.of(stack).addWarningV2(
      'secu-alert-dooray:no-ops-contact',
      'noOpsContact=true: nobody is subscribed to the operations topic, so failed deliveries, dead-letter queues ' +
        'and failed rule invocations reach nobody. Give -c opsEmail=<address>.',
    );
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}

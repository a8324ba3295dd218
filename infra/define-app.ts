import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { settingsFromContext } from './context.js';
import { SecuAlertDoorayStack } from './stack.js';

/**
 * Puts the deployable stack into `app`, with the props its context (`-c key=value`) asks for, and registers
 * cdk-nag's AwsSolutions checks, which stop synthesis on any unacknowledged finding.
 */
export function defineApp(app: App): SecuAlertDoorayStack {
  const { stackName, props } = settingsFromContext((key) => app.node.tryGetContext(key));
  const stack = new SecuAlertDoorayStack(app, stackName, {
    ...props,
    description: 'secu-alert-dooray: AWS root-account usage alerts to a Dooray! messenger room',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}

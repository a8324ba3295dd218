// The CDK app (`npm run synth`, `npm run deploy -- -c key=value …`): one env-agnostic stack, whose account and
// region come from the deploying credentials, so synth needs none. cdk-nag's AwsSolutions checks run on every
// synth and stop it on an unacknowledged finding.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { settingsFromContext } from './context.js';
import { SecuAlertDoorayStack } from './stack.js';

const app = new App();
const { stackName, props } = settingsFromContext((key) => app.node.tryGetContext(key));
new SecuAlertDoorayStack(app, stackName, {
  ...props,
  description: 'secu-alert-dooray: AWS root-account usage alerts to a Dooray! messenger room',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

// The CDK app (`npm run synth`, `npm run deploy -- -c key=value …`): one env-agnostic stack, whose account and
// Region come from the deploying credentials, so synth needs none.
import { App } from 'aws-cdk-lib';
import { defineApp } from './define-app.js';

defineApp(new App());

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FORWARDER_REGIONS } from '../../src/defaults.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('`cdk synth` (what `npm run synth` runs after the build) with no AWS credentials', () => {
  let home: string;
  let output: string;
  let template: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'secu-alert-home-'));
    output = mkdtempSync(join(tmpdir(), 'secu-alert-cdk-out-'));
    // No AWS_* variable and an empty home: no credentials, profile or Region from anywhere.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
    template = execFileSync(
      process.execPath,
      [
        join(root, 'node_modules/aws-cdk/bin/cdk'),
        'synth',
        // The main stack; the forwarder stacks (one per Region) are synthesized beside it into --output.
        'SecuAlertDooray',
        '--no-notices',
        '--output',
        output,
        '-c',
        'opsEmail=secops@example.com',
      ],
      { cwd: root, env: { ...env, HOME: home, USERPROFILE: home }, encoding: 'utf8', timeout: 120_000 },
    );
  }, 150_000);

  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
    rmSync(output, { recursive: true, force: true });
  });

  it('prints the template with every resource of the pipeline', () => {
    const types = new Set([...template.matchAll(/^ {4}Type: (AWS::\w+::\w+)$/gm)].map((match) => match[1]));
    expect([...types].sort()).toEqual([
      'AWS::CloudTrail::Trail',
      'AWS::CloudWatch::Alarm',
      'AWS::DynamoDB::Table',
      'AWS::Events::EventBus',
      'AWS::Events::Rule',
      'AWS::IAM::Policy',
      'AWS::IAM::Role',
      'AWS::Lambda::EventInvokeConfig',
      'AWS::Lambda::Function',
      'AWS::Lambda::Permission',
      'AWS::Logs::LogGroup',
      'AWS::Logs::MetricFilter',
      'AWS::S3::Bucket',
      'AWS::S3::BucketPolicy',
      'AWS::SNS::Subscription',
      'AWS::SNS::Topic',
      'AWS::SNS::TopicPolicy',
      'AWS::SQS::Queue',
      'AWS::SQS::QueuePolicy',
      'AWS::Scheduler::Schedule',
      'AWS::SecretsManager::Secret',
    ]);
    expect(template).toContain(
      `FilterPattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'`,
    );
  });

  it('writes a forwarder stack for every other Region enabled by default', () => {
    const forwarders = readdirSync(output).filter((name) =>
      /^SecuAlertDooray-Forwarder-.+\.template\.json$/.test(name),
    );
    expect(forwarders.length).toBe(DEFAULT_FORWARDER_REGIONS.length - 1);
  });
});

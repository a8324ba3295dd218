import { STSClient } from '@aws-sdk/client-sts';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { AWS_REQUEST_TIMEOUT_MS, type AwsTarget } from '../aws/clients.js';
import { isRegionCode } from '../events/regions.js';
import { CliError, EXIT } from './errors.js';

/** The flags every AWS command takes (`--profile`, `--region`, `--output`), as commander parses them. */
export interface AwsFlags {
  profile?: string;
  region?: string;
  /** `--aws-timeout`: seconds one AWS request may wait for its answer. */
  awsTimeout?: number;
  output: OutputFormat;
}

/** How a command prints its result: an aligned text table (default) or one JSON document. */
export type OutputFormat = 'table' | 'json';

function parseAwsTimeout(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600)
    throw new InvalidArgumentError('give seconds, > 0 and ≤ 600');
  return seconds;
}

/** Adds `--profile`, `--region`, `--aws-timeout` and `--output table|json` to `command`. */
export function addAwsOptions(command: Command): Command {
  return command
    .option(
      '--profile <name>',
      'named profile of the AWS config and credentials files (default: AWS_PROFILE)',
    )
    .option(
      '--region <region>',
      'AWS Region (default: AWS_REGION, AWS_DEFAULT_REGION, then the profile’s region, as the AWS CLI does)',
    )
    .option(
      '--aws-timeout <seconds>',
      `how long one AWS request may wait for its answer before it fails (default ${AWS_REQUEST_TIMEOUT_MS / 1000}); ` +
        'a request that times out is tried 3 times in all',
      parseAwsTimeout,
    )
    .addOption(new Option('--output <format>', 'result format').choices(['table', 'json']).default('table'));
}

/**
 * Resolves the Region as the AWS CLI does: `--region`, then `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the
 * `region` of the profile (`--profile`, `AWS_PROFILE` or `default`) in the shared config file. Throws a usage
 * {@link CliError} when none is set.
 */
export async function resolveTarget(
  flags: Pick<AwsFlags, 'profile' | 'region' | 'awsTimeout'>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<AwsTarget> {
  const profile = flags.profile ?? undefined;
  const fromEnv = [flags.region, env['AWS_REGION'], env['AWS_DEFAULT_REGION']].find(
    (r) => r !== undefined && r.trim() !== '',
  );
  let region = fromEnv?.trim();
  if (region === undefined) {
    // The SDK's own provider chain reads the profile's `region` from ~/.aws/config (AWS_CONFIG_FILE).
    const probe = new STSClient(profile ? { profile } : {});
    try {
      region = await probe.config.region();
    } catch {
      region = undefined;
    } finally {
      probe.destroy();
    }
  }
  if (region === undefined || !isRegionCode(region)) {
    throw new CliError(
      region === undefined
        ? 'no AWS Region: pass --region, set AWS_REGION, or set region in the profile of ~/.aws/config'
        : `"${region.slice(0, 40)}" is not an AWS Region name (e.g. ap-northeast-2)`,
      EXIT.usage,
    );
  }
  return {
    region,
    ...(profile ? { profile } : {}),
    ...(flags.awsTimeout !== undefined ? { requestTimeoutMs: Math.round(flags.awsTimeout * 1000) } : {}),
  };
}

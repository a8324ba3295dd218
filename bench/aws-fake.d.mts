/** A running loopback fake of DynamoDB (dynalite), CloudWatch Logs and IAM; see bench/aws-fake.mjs. */
export interface FakeAws {
  /** Operations answered, by `service:Operation` (e.g. `logs:FilterLogEvents`). */
  calls: Record<string, number>;
  /** dynalite's own URL (no added latency), for setting up and reading tables. */
  dynamoUrl: string;
  /** `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`, `AWS_ENDPOINT_URL_IAM`. */
  env: Record<string, string>;
  close(): Promise<void>;
}
/** Starts the fakes on 127.0.0.1 (random ports); each answer waits `latencyMs` (default 0). */
export function startFakeAws(options?: { latencyMs?: number }): Promise<FakeAws>;

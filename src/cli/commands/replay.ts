/**
 * `secu-alert replay --queue URL [--dry-run]`: re-delivers the alerts the Lambda could not deliver. Reads the
 * on-failure queue (SQS API reference: ReceiveMessage, DeleteMessage); each message is a Lambda on-failure
 * destination record (Lambda Developer Guide, "Capturing records of Lambda asynchronous invocations": the
 * original event is in `requestPayload`) or, from a dead-letter queue, the event itself. Each event goes
 * through the Lambda's own handler, with the Lambda's own dedupe table and session store (its
 * `DEDUPE_TABLE_NAME`, read with `lambda:GetFunctionConfiguration`, or `--table`) so that what the Lambda
 * delivered is not posted again, and with flood control off so that an event held before is delivered rather
 * than held again. The queue is drained in one run (until a receive brings nothing new, or `--max-messages`); a
 * message is deleted only when every alert in it was delivered now or before; the exit status is 1 while any
 * message remains.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ENV, FUNCTION_NAME } from '../../defaults.js';
import { parseLambdaEvent } from '../../events/index.js';
import { DynamoDedupe, DynamoSessionStore } from '../../lambda/dynamo-dedupe.js';
import { AlertDeliveryError, type AlertHandler } from '../../lambda/handler.js';
import { clientConfig, describeAwsError, type AwsTarget } from '../../aws/clients.js';
import { addAwsOptions, resolveTarget, type AwsFlags } from '../aws.js';
import { cliHandler, handlerConfigFrom, hookUrlResolverFor, type HookFlags } from '../delivery.js';
import { formatJson, formatTable } from '../output.js';
import { CliError, EXIT, type CliIo } from '../errors.js';

interface ReplayFlags extends AwsFlags, HookFlags {
  queue: string;
  dryRun?: boolean;
  /** The dedupe table (default: the function's `DEDUPE_TABLE_NAME`). */
  table?: string;
  /** The Lambda function whose `DEDUPE_TABLE_NAME` is read when `--table` is not given. */
  function: string;
  /** Most messages taken in one run. */
  maxMessages: number;
  /** Seconds a received message stays invisible to other readers while it is replayed. */
  visibilityTimeout: number;
}

/** What happened to one queue message. */
type Outcome = 'delivered' | 'failed' | 'skipped' | 'unreadable' | 'would-deliver';

interface Row {
  messageId: string;
  /** `requestContext.condition` of an on-failure record (`RetriesExhausted`, `EventAgeExceeded`), or `dlq`. */
  condition: string;
  /** Alarms in the event, `name → STATE`. */
  alarms: string;
  outcome: Outcome;
  deleted: boolean;
  detail: string;
}

/**
 * The original event of a queue message body: `requestPayload` of a Lambda on-failure destination record, or
 * the body itself (a dead-letter queue keeps the event as is). Undefined when the body is not a JSON object.
 */
export function originalEvent(body: string | undefined): { event: unknown; condition: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const record = parsed as { requestPayload?: unknown; requestContext?: { condition?: unknown } };
  if ('requestPayload' in record) {
    const condition = record.requestContext?.condition;
    return {
      event: record.requestPayload,
      condition: typeof condition === 'string' ? condition : 'on-failure',
    };
  }
  return { event: parsed, condition: 'dlq' };
}

function alarmsOf(event: unknown): string {
  const names = parseLambdaEvent(event).map((input) =>
    input.kind === 'alarm'
      ? `${input.notification.alarmName} → ${input.notification.newState}`
      : 'unsupported',
  );
  return names.join(', ') || '-';
}

/**
 * The Lambda's dedupe table: `--table`, else `DEDUPE_TABLE_NAME` of the function's configuration
 * (`lambda:GetFunctionConfiguration`, Lambda API Reference,
 * https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html). Undefined (with a warning)
 * when the function has none: it then remembers deliveries only per container, and neither can replay.
 */
async function dedupeTableOf(flags: ReplayFlags, target: AwsTarget, io: CliIo): Promise<string | undefined> {
  if (flags.table !== undefined) return flags.table;
  const lambda = new LambdaClient(clientConfig(target));
  let variables: Record<string, string> | undefined;
  try {
    variables = (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: flags.function })))
      .Environment?.Variables;
  } catch (error) {
    throw new CliError(
      `${describeAwsError('lambda:GetFunctionConfiguration', error)} (to find the dedupe table of ${flags.function}; or pass --table <name>)`,
    );
  } finally {
    lambda.destroy();
  }
  const table = variables?.[ENV.dedupeTable];
  if (!table) {
    io.stderr(
      `replay: ${flags.function} has no ${ENV.dedupeTable}: what it delivered is not known here, so alerts it already delivered may be posted again\n`,
    );
    return undefined;
  }
  return table;
}

async function replay(flags: ReplayFlags, io: CliIo): Promise<number> {
  // An SQS queue URL: https://sqs.<region>.amazonaws.com/<account>/<name> (or an endpoint of its own).
  if (!URL.canParse(flags.queue) || !/^https?:$/.test(new URL(flags.queue).protocol)) {
    throw new CliError(
      `--queue must be an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>)`,
      EXIT.usage,
    );
  }
  const target = await resolveTarget(flags);
  let run: AlertHandler | undefined;
  let table: string | undefined;
  if (!flags.dryRun) {
    const config = handlerConfigFrom(flags);
    table = await dedupeTableOf(flags, target, io);
    const dynamodb = table ? new DynamoDBClient(clientConfig(target)) : undefined;
    run = cliHandler(config, await hookUrlResolverFor(config, flags), {
      ...(table && dynamodb
        ? {
            dedupe: new DynamoDedupe({ tableName: table, client: dynamodb }),
            sessions: new DynamoSessionStore({ tableName: table, client: dynamodb }),
          }
        : {}),
      floodControl: 'off',
      // A dedupe table that cannot be read fails open (the alert is posted): say so, so that a repeat is explained.
      logger: {
        info: () => undefined,
        warn: (message, extra) =>
          io.stderr(
            `replay: warning: ${message}${typeof extra['error'] === 'string' ? ` (${extra['error']})` : ''}\n`,
          ),
        error: () => undefined,
      },
    }).handler;
  }
  const sqs = new SQSClient(clientConfig(target));
  const rows: Row[] = [];
  const seen = new Set<string>();
  io.stderr(
    `replay: reading ${flags.queue}${flags.dryRun ? ' (dry run: nothing is sent or deleted)' : table ? ` (dedupe table ${table})` : ''}…\n`,
  );
  let bounded = false;
  for (;;) {
    if (rows.length >= flags.maxMessages) {
      bounded = true;
      break;
    }
    let messages: Message[];
    try {
      messages =
        (
          await sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: flags.queue,
              MaxNumberOfMessages: Math.min(10, flags.maxMessages - rows.length),
              WaitTimeSeconds: 1,
              VisibilityTimeout: flags.visibilityTimeout,
              MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
            }),
          )
        ).Messages ?? [];
    } catch (error) {
      throw new CliError(describeAwsError('sqs:ReceiveMessage', error));
    }
    const fresh = messages.filter((m) => m.MessageId !== undefined && !seen.has(m.MessageId));
    if (fresh.length === 0) break;
    for (const message of fresh) {
      const messageId = message.MessageId ?? '?';
      seen.add(messageId);
      const original = originalEvent(message.Body);
      if (!original) {
        rows.push({
          messageId,
          condition: '?',
          alarms: '-',
          outcome: 'unreadable',
          deleted: false,
          detail: 'body is not a JSON object',
        });
        continue;
      }
      const row: Row = {
        messageId,
        condition: original.condition,
        alarms: alarmsOf(original.event),
        outcome: 'would-deliver',
        deleted: false,
        detail: '',
      };
      rows.push(row);
      if (!run) continue;
      io.stderr(`replay: ${messageId}: ${row.alarms}…\n`);
      try {
        // Returned without throwing: every alert of the event was delivered now, or before (a dedupe repeat),
        // or the input is no alert at all; flood control is off, so nothing is held.
        const result = await run(original.event);
        row.outcome = result.delivered > 0 ? 'delivered' : 'skipped';
        row.detail = result.decisions
          .map((d) => (d.outcome === 'delivered' ? `HTTP ${d.status}, ${d.attempts} attempt(s)` : d.reason))
          .join('; ');
      } catch (error) {
        row.outcome = 'failed';
        row.detail =
          error instanceof AlertDeliveryError
            ? error.decisions
                .filter((d) => d.outcome === 'failed')
                .map((d) => d.reason)
                .join('; ')
            : error instanceof Error
              ? error.message
              : String(error);
      }
      if (row.outcome !== 'failed' && message.ReceiptHandle) {
        try {
          await sqs.send(
            new DeleteMessageCommand({ QueueUrl: flags.queue, ReceiptHandle: message.ReceiptHandle }),
          );
          row.deleted = true;
        } catch (error) {
          row.detail += ` (not deleted: ${describeAwsError('sqs:DeleteMessage', error)})`;
        }
      }
    }
  }

  const count = (o: Outcome): number => rows.filter((r) => r.outcome === o).length;
  const counts = {
    received: rows.length,
    delivered: count('delivered'),
    deleted: rows.filter((r) => r.deleted).length,
    failed: count('failed'),
    skipped: count('skipped'),
    unreadable: count('unreadable'),
    ...(flags.dryRun ? { wouldDeliver: count('would-deliver') } : {}),
  };
  const remaining = rows.filter((r) => !r.deleted).length;
  if (flags.output === 'json') {
    io.stdout(
      formatJson({
        queue: flags.queue,
        dryRun: flags.dryRun === true,
        ...(table ? { table } : {}),
        counts,
        remaining,
        stoppedAtMaxMessages: bounded,
        messages: rows,
      }),
    );
  } else {
    if (rows.length > 0) {
      io.stdout(
        formatTable(
          ['message', 'condition', 'alarms', 'outcome', 'deleted', 'detail'],
          rows.map((r) => [
            r.messageId,
            r.condition,
            r.alarms,
            r.outcome,
            r.deleted ? 'yes' : 'no',
            r.detail,
          ]),
        ) + '\n',
      );
    }
    io.stdout(
      flags.dryRun
        ? `${counts.received} message(s); ${counts.wouldDeliver ?? 0} would be re-delivered, ${counts.unreadable} unreadable; nothing sent or deleted\n`
        : `${counts.received} message(s): ${counts.delivered} delivered and ${counts.deleted} deleted, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.unreadable} unreadable; ${remaining} left in the queue\n`,
    );
  }
  if (bounded) {
    io.stderr(`replay: stopped after --max-messages ${flags.maxMessages}; the queue may hold more\n`);
  }
  if (flags.dryRun) return counts.unreadable > 0 ? EXIT.failure : EXIT.ok;
  return remaining > 0 || bounded ? EXIT.failure : EXIT.ok;
}

/** Registers `secu-alert replay --queue URL [--dry-run] [--hook-url URL | --parameter NAME | --secret ARN]`. */
export function register(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const command = program
    .command('replay')
    .summary("re-deliver the alerts kept in the Lambda's on-failure queue; delete only what was delivered")
    .description(
      "Drain the Lambda's on-failure queue (or dead-letter queue) in one run: take each message's original " +
        'event (requestPayload of the on-failure record) and re-deliver its alerts through the Lambda’s own ' +
        'handler, with its dedupe table (so that what it delivered is not posted again) and flood control off ' +
        '(an event held before is delivered now). A message is deleted only when every alert in it was delivered ' +
        'now or before; failed and unreadable messages stay, and the exit status is 1 while any message remains. ' +
        'The webhook URL comes from the flag given, else from DOORAY_HOOK_URL / _PARAMETER / _SECRET_ARN.',
    )
    .requiredOption('--queue <url>', 'SQS queue URL (the stack output FailureQueueUrl)')
    .option(
      '--dry-run',
      'list what would be re-delivered; send and delete nothing (received messages stay hidden for --visibility-timeout)',
    )
    .option('--hook-url <url>', 'post to this Dooray incoming-webhook URL')
    .option('--parameter <name>', 'read the URL from this SSM SecureString parameter')
    .option('--secret <arn>', 'read the URL from this Secrets Manager secret')
    .option('--table <name>', `the dedupe table (default: the function's ${ENV.dedupeTable})`)
    .option('--function <name>', `the Lambda function whose ${ENV.dedupeTable} is used`, FUNCTION_NAME)
    .addOption(
      new Option('--max-messages <n>', 'most messages taken in one run')
        .argParser((v) => {
          const n = Number(v);
          if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('give a whole number ≥ 1');
          return n;
        })
        .default(1000),
    )
    .addOption(
      new Option(
        '--visibility-timeout <seconds>',
        'how long a received message stays hidden from other readers',
      )
        .argParser((v) => {
          const n = Number(v);
          if (!Number.isInteger(n) || n < 0 || n > 43_200)
            throw new InvalidArgumentError('give whole seconds from 0 to 43200');
          return n;
        })
        .default(120),
    );
  addAwsOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  secu-alert replay --queue https://sqs.ap-northeast-2.amazonaws.com/111122223333/secu-alert-dooray-failures --dry-run\n' +
        '  secu-alert replay --queue <FailureQueueUrl> --parameter /secu-alert-dooray/hook-url --region ap-northeast-2\n' +
        '\nExit status: 0 the queue was drained (every alert delivered now or before), 1 a message remains (with --dry-run: a message is unreadable), 2 usage error.\n',
    )
    .action(async (flags: ReplayFlags) => setExitCode(await replay(flags, io)));
}

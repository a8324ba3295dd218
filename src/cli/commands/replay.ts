/**
 * `secu-alert replay --queue URL [--dry-run]`: re-delivers the alerts the Lambda could not deliver. Reads the
 * on-failure queue (SQS API reference: ReceiveMessage, DeleteMessage); each message is a Lambda on-failure
 * destination record (Lambda Developer Guide, "Capturing records of Lambda asynchronous invocations": the
 * original event is in `requestPayload`) or, from a dead-letter queue, the event itself. Each event goes
 * through the Lambda's own handler; only the messages whose alerts were all delivered are deleted.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseLambdaEvent } from '../../events/index.js';
import { AlertDeliveryError, type AlertHandler } from '../../lambda/handler.js';
import { clientConfig, describeAwsError } from '../../aws/clients.js';
import { addAwsOptions, resolveTarget, type AwsFlags } from '../aws.js';
import { cliHandler, handlerConfigFrom, hookUrlResolverFor, type HookFlags } from '../delivery.js';
import { formatJson, formatTable } from '../output.js';
import { CliError, EXIT, type CliIo } from '../errors.js';

interface ReplayFlags extends AwsFlags, HookFlags {
  queue: string;
  dryRun?: boolean;
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
  if (!flags.dryRun) {
    const config = handlerConfigFrom(flags);
    run = cliHandler(config, await hookUrlResolverFor(config, flags)).handler;
  }
  const sqs = new SQSClient(clientConfig(target));
  const rows: Row[] = [];
  const seen = new Set<string>();
  io.stderr(
    `replay: reading ${flags.queue}${flags.dryRun ? ' (dry run: nothing is sent or deleted)' : ''}…\n`,
  );
  for (;;) {
    let messages: Message[];
    try {
      messages =
        (
          await sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: flags.queue,
              MaxNumberOfMessages: 10,
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
      if (row.outcome === 'delivered' && message.ReceiptHandle) {
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
  if (flags.output === 'json') {
    io.stdout(formatJson({ queue: flags.queue, dryRun: flags.dryRun === true, counts, messages: rows }));
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
        : `${counts.received} message(s): ${counts.delivered} delivered and ${counts.deleted} deleted, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.unreadable} unreadable (kept in the queue)\n`,
    );
  }
  const undelivered = counts.failed + counts.unreadable + (counts.delivered - counts.deleted);
  return undelivered > 0 ? EXIT.failure : EXIT.ok;
}

/** Registers `secu-alert replay --queue URL [--dry-run] [--hook-url URL | --parameter NAME | --secret ARN]`. */
export function register(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const command = program
    .command('replay')
    .summary("re-deliver the alerts kept in the Lambda's on-failure queue; delete only what was delivered")
    .description(
      "Read the Lambda's on-failure queue (or dead-letter queue), take each message's original event " +
        '(requestPayload of the on-failure record), re-deliver its alerts through the Lambda’s own handler, and ' +
        'delete only the messages whose alerts were all delivered. Failed, skipped and unreadable messages stay. ' +
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
        '\nExit status: 0 everything received was delivered (or skipped), 1 something stays undelivered (with --dry-run: a message is unreadable), 2 usage error.\n',
    )
    .action(async (flags: ReplayFlags) => setExitCode(await replay(flags, io)));
}

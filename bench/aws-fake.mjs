// A loopback fake of the AWS endpoints the deployed handler calls, each behind an optional per-call latency:
//  - DynamoDB: dynalite (the real JSON protocol), behind a proxy that adds the latency;
//  - CloudWatch Logs (awsJson1_1, `X-Amz-Target: Logs_20140328.<Operation>`): DescribeMetricFilters and
//    FilterLogEvents, shapes from https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/;
//  - IAM (query protocol, XML): ListAccountAliases, shape from
//    https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccountAliases.html.
// `calls` counts the operations each fake answered. Everything listens on 127.0.0.1.
import { createServer, request } from 'node:http';
import { URLSearchParams } from 'node:url';
import dynalite from 'dynalite';

const listen = (server) =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)),
  );
const close = (server) => new Promise((r) => (server.closeAllConnections?.(), server.close(() => r())));
const later = (ms) => new Promise((r) => (ms > 0 ? setTimeout(r, ms) : r()));

export async function startFakeAws({ latencyMs = 0 } = {}) {
  const calls = {};
  const count = (op) => (calls[op] = (calls[op] ?? 0) + 1);
  const dyn = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynUrl = await listen(dyn);
  const dynProxy = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      count(`dynamodb:${String(req.headers['x-amz-target']).split('.').pop()}`);
      await later(latencyMs);
      const up = request(`${dynUrl}${req.url}`, { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode, r.headers);
        r.pipe(res);
      });
      up.on('error', (e) => res.writeHead(500).end(String(e)));
      up.end(Buffer.concat(chunks));
    });
  });
  const logs = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const op = String(req.headers['x-amz-target']).split('.').pop();
      count(`logs:${op}`);
      await later(latencyMs);
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
      let out;
      if (op === 'DescribeMetricFilters') {
        out = {
          metricFilters: [
            {
              filterName: 'root-usage',
              filterPattern:
                '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
              logGroupName: 'aws-cloudtrail-logs',
              creationTime: 1764000000000,
              metricTransformations: [
                {
                  metricName: body.metricName ?? 'RootAccountUsage',
                  metricNamespace: body.metricNamespace ?? 'CloudTrailMetrics',
                  metricValue: '1',
                },
              ],
            },
          ],
        };
      } else if (op === 'FilterLogEvents') {
        const ts = body.startTime ?? Date.now();
        out = {
          events: [
            {
              logStreamName: '210987654321_CloudTrail_ap-northeast-2',
              timestamp: ts,
              ingestionTime: ts,
              eventId: '1',
              message: JSON.stringify({
                eventVersion: '1.09',
                userIdentity: {
                  type: 'Root',
                  principalId: '210987654321',
                  arn: 'arn:aws:iam::210987654321:root',
                  accountId: '210987654321',
                },
                eventTime: new Date(ts).toISOString(),
                eventSource: 'signin.amazonaws.com',
                eventName: 'ConsoleLogin',
                awsRegion: 'us-east-1',
                sourceIPAddress: '198.51.100.7',
                eventType: 'AwsConsoleSignIn',
                recipientAccountId: '210987654321',
              }),
            },
          ],
          searchedLogStreams: [],
        };
      } else {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'UnknownOperationException', message: op }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'fake' });
      res.end(JSON.stringify(out));
    });
  });
  const iam = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const op = new URLSearchParams(Buffer.concat(chunks).toString()).get('Action');
      count(`iam:${op}`);
      await later(latencyMs);
      if (op !== 'ListAccountAliases') {
        res
          .writeHead(400, { 'content-type': 'text/xml' })
          .end('<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        '<ListAccountAliasesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListAccountAliasesResult>' +
          '<IsTruncated>false</IsTruncated><AccountAliases><member>bench-alias</member></AccountAliases>' +
          '</ListAccountAliasesResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></ListAccountAliasesResponse>',
      );
    });
  });
  const [dynamodb, logsUrl, iamUrl] = [await listen(dynProxy), await listen(logs), await listen(iam)];
  return {
    calls,
    dynamoUrl: dynUrl,
    env: {
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: logsUrl,
      AWS_ENDPOINT_URL_IAM: iamUrl,
    },
    close: async () => {
      await Promise.all([close(dynProxy), close(logs), close(iam)]);
      await new Promise((r) => dyn.close(() => r()));
    },
  };
}

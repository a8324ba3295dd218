/**
 * The read-only IAM policy `secu-alert audit` needs: every API it calls, and nothing that writes or reads
 * secrets (the webhook URL's value is never read; only the name of the variable that holds it).
 * `logs:FilterLogEvents` reads the Lambda's own log for deliveries of the scheduled self-test.
 */
export const AUDIT_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'SecuAlertAuditReadOnly',
      Effect: 'Allow',
      Action: [
        'cloudtrail:DescribeTrails',
        'cloudtrail:GetTrailStatus',
        'cloudtrail:GetEventSelectors',
        'cloudtrail:LookupEvents',
        'logs:DescribeMetricFilters',
        'logs:FilterLogEvents',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:DescribeAlarmsForMetric',
        'cloudwatch:DescribeAlarmHistory',
        'sns:ListSubscriptionsByTopic',
        'lambda:GetFunctionConfiguration',
        'lambda:GetPolicy',
        'lambda:GetFunctionEventInvokeConfig',
        'ec2:DescribeRouteTables',
        'iam:GetAccountSummary',
      ],
      Resource: '*',
    },
  ],
} as const;

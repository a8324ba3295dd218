/** A failed root console sign-in from EventBridge, with the given user agent (the attacker's own header). */
export function rootSignIn(detail: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: 'b1a5e7e4-0000-4000-8000-000000000001',
    'detail-type': 'AWS Console Sign In via CloudTrail',
    source: 'aws.signin',
    account: '123456789012',
    time: '2026-11-29T02:59:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.08',
      userIdentity: { type: 'Root', principalId: '123456789012', arn: 'arn:aws:iam::123456789012:root' },
      eventTime: '2026-11-29T02:59:00Z',
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      awsRegion: 'us-east-1',
      sourceIPAddress: '198.51.100.7',
      userAgent: 'Mozilla/5.0',
      responseElements: { ConsoleLogin: 'Failure' },
      additionalEventData: { MFAUsed: 'No' },
      eventID: 'c0ffee00-0000-4000-8000-000000000002',
      eventType: 'AwsConsoleSignIn',
      recipientAccountId: '123456789012',
      ...detail,
    },
  };
}

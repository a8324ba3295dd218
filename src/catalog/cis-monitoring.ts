/**
 * The CIS AWS Foundations Benchmark monitoring controls as AWS Security Hub checks them: controls
 * CloudWatch.1 to CloudWatch.14 ("Security Hub controls for Amazon CloudWatch",
 * https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html).
 *
 * Pure data, no imports. Each `filterPattern` is copied character for character from the "Remediation" step of
 * that page ("Create a metric filter … Define pattern, Filter pattern"). Two versions of the page were read:
 *  - the current one (with NIST.800-171 requirements and "Security Hub controls for Amazon CloudWatch" as its
 *    title), read from an undated public Markdown copy of the page, and
 *  - the version in AWS's own documentation repository (awsdocs/aws-security-hub-user-guide,
 *    `doc_source/cloudwatch-controls.md`, last content commit of 2023-03-10, before AWS archived it).
 * They print the same strings except for CloudWatch.4 and CloudWatch.13: the current page prefixes them with
 * `($.eventSource=iam.amazonaws.com) && (…)` and `($.eventSource=ec2.amazonaws.com) && (…)` and says "Our
 * recommended filter pattern in these remediation steps differs from the filter pattern in the CIS guidance";
 * for those two it no longer says the control needs the exact CIS filter. `filterPattern` is the current
 * page's string; `cisGuidancePattern` keeps the CIS form the page printed until 2023. Whether Security Hub
 * still passes the CIS form for .4 and .13 is not stated on the page (unverified). For every other control the
 * page says: "This control fails if the exact metric filters prescribed by CIS are not used. Additional fields
 * or terms cannot be added to the metric filters." AWS prints most patterns without spaces
 * (`{($.eventName=X) || …}`); CloudWatch.1 has spaces only around `&&` and before `!=`; CloudWatch.3 is printed
 * with spaces everywhere (`{ ($.eventName = "ConsoleLogin") && … }`). The CIS benchmark PDFs and other AWS
 * pages print the same patterns with spaces (`{ $.a = "x" }`), so compare patterns after removing whitespace
 * outside quoted strings (`normalisePattern` in src/audit/pattern.ts).
 *
 * Metric filter values the current page gives for every one of them: namespace `LogMetrics`, metric value `1`,
 * default value `0`; alarm: static threshold, Greater/Equal, `1`. Not found in public pages: a *required*
 * metric name (the page says to enter "a name for the metric"); `metricName` below is taken from the alarm name the page
 * suggests (`CIS-4.4-IAMPolicyChanges` → `IAMPolicyChanges`), so it is our choice, not an AWS requirement.
 * Security Hub also has no CloudWatch control for CIS v1.4.0 4.15 (AWS Organizations changes); its
 * CloudWatch.15 onward are unrelated alarm and log-group checks.
 */

/** Severity of an alert, in the order of issue 13's rules (critical > high > medium > info). */
export type CisSeverity = 'critical' | 'high' | 'medium';

/** One Security Hub CloudWatch control of the CIS monitoring section. */
export interface CisMonitoringControl {
  /** Security Hub control id, `CloudWatch.1` … `CloudWatch.14`. */
  readonly controlId: string;
  /**
   * CIS AWS Foundations Benchmark requirement ids as Security Hub lists them under "Related requirements"
   * (`v1.2.0/3.3` is CIS v1.2.0 section 3.3; `v1.4.0/4.3` is CIS v1.4.0 section 4.3).
   */
  readonly cisIds: readonly string[];
  /** The control's title as Security Hub prints it. */
  readonly title: string;
  /** The filter pattern exactly as the Security Hub user guide prints it today (see the module comment). */
  readonly filterPattern: string;
  /**
   * CloudWatch.4 and .13 only: the CIS guidance form, which the page printed until 2023 (without the
   * `$.eventSource` test). Absent for controls whose current pattern is the CIS one.
   */
  readonly cisGuidancePattern?: string;
  /** Metric name for the pack's metric filter: our choice, from the alarm name the page suggests. */
  readonly metricName: string;
  /** Alarm name the page suggests (`CIS-…`), for reference. */
  readonly exampleAlarmName: string;
  /** Korean subject for the subject map (`SUBJECT_MAP`): alarm name → the words in the message text. */
  readonly subjectKo: string;
  /** Severity of this control's alarm under issue 13's rules; `severityReason` says which rule. */
  readonly severity: CisSeverity;
  readonly severityReason: string;
  /**
   * The CloudTrail `eventName` values the pattern names. Empty when the pattern selects by identity or error
   * (CloudWatch.1: any root event; CloudWatch.2: any event whose `errorCode` matches) rather than by name.
   */
  readonly eventNames: readonly string[];
  /**
   * `eventSource` the pattern itself requires (CloudWatch.4, .7, .8, .9, .13), or null when the pattern does not test
   * it. {@link CisMonitoringControl.recordedEventSource} says where CloudTrail records the events otherwise.
   */
  readonly patternEventSource: string | null;
  /** `eventSource` CloudTrail records for `eventNames` (null when the pattern is not by name). */
  readonly recordedEventSource: string | null;
  /** The page the pattern comes from (anchor of the control). */
  readonly sourceUrl: string;
}

const PAGE = 'https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html';

/** The fourteen controls, in Security Hub order. */
export const CIS_MONITORING_CONTROLS: readonly CisMonitoringControl[] = [
  {
    controlId: 'CloudWatch.1',
    cisIds: ['v1.2.0/1.1', 'v1.2.0/3.3', 'v1.4.0/1.7', 'v1.4.0/4.3'],
    title: 'A log metric filter and alarm should exist for usage of the "root" user',
    filterPattern:
      '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
    metricName: 'RootAccountUsage',
    exampleAlarmName: 'CIS-1.7-RootAccountUsage',
    subjectKo: 'root 계정',
    severity: 'critical',
    severityReason:
      'root use: the alarm cannot tell a root sign-in without MFA or a root credential change from other root use, so it takes the worst case',
    eventNames: [],
    patternEventSource: null,
    recordedEventSource: null,
    sourceUrl: `${PAGE}#cloudwatch-1`,
  },
  {
    controlId: 'CloudWatch.2',
    cisIds: ['v1.2.0/3.1'],
    title: 'Ensure a log metric filter and alarm exist for unauthorized API calls',
    filterPattern: '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
    metricName: 'UnauthorizedAPICalls',
    exampleAlarmName: 'CIS-3.1-UnauthorizedAPICalls',
    subjectKo: '권한 없는 API 호출',
    severity: 'medium',
    severityReason: 'failed calls',
    eventNames: [],
    patternEventSource: null,
    recordedEventSource: null,
    sourceUrl: `${PAGE}#cloudwatch-2`,
  },
  {
    controlId: 'CloudWatch.3',
    cisIds: ['v1.2.0/3.2'],
    title: 'Ensure a log metric filter and alarm exist for Management Console sign-in without MFA',
    filterPattern:
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    metricName: 'ConsoleSigninWithoutMFA',
    exampleAlarmName: 'CIS-3.2-ConsoleSigninWithoutMFA',
    subjectKo: 'MFA 없는 콘솔 로그인',
    severity: 'critical',
    severityReason: 'MFA: a successful console sign-in without MFA',
    eventNames: ['ConsoleLogin'],
    patternEventSource: null,
    recordedEventSource: 'signin.amazonaws.com',
    sourceUrl: `${PAGE}#cloudwatch-3`,
  },
  {
    controlId: 'CloudWatch.4',
    cisIds: ['v1.2.0/3.4', 'v1.4.0/4.4'],
    title: 'Ensure a log metric filter and alarm exist for IAM policy changes',
    filterPattern:
      '{($.eventSource=iam.amazonaws.com) && (($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy))}',
    cisGuidancePattern:
      '{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}',
    metricName: 'IAMPolicyChanges',
    exampleAlarmName: 'CIS-4.4-IAMPolicyChanges',
    subjectKo: 'IAM 정책 변경',
    severity: 'critical',
    severityReason: 'IAM and policy changes',
    eventNames: [
      'DeleteGroupPolicy',
      'DeleteRolePolicy',
      'DeleteUserPolicy',
      'PutGroupPolicy',
      'PutRolePolicy',
      'PutUserPolicy',
      'CreatePolicy',
      'DeletePolicy',
      'CreatePolicyVersion',
      'DeletePolicyVersion',
      'AttachRolePolicy',
      'DetachRolePolicy',
      'AttachUserPolicy',
      'DetachUserPolicy',
      'AttachGroupPolicy',
      'DetachGroupPolicy',
    ],
    patternEventSource: 'iam.amazonaws.com',
    recordedEventSource: 'iam.amazonaws.com',
    sourceUrl: `${PAGE}#cloudwatch-4`,
  },
  {
    controlId: 'CloudWatch.5',
    cisIds: ['v1.2.0/3.5', 'v1.4.0/4.5'],
    title: 'Ensure a log metric filter and alarm exist for CloudTrail configuration changes',
    filterPattern:
      '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}',
    metricName: 'CloudTrailChanges',
    exampleAlarmName: 'CIS-4.5-CloudTrailChanges',
    subjectKo: 'CloudTrail 설정 변경',
    severity: 'critical',
    severityReason: 'changes to this pipeline: CloudTrail is its source',
    eventNames: ['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'],
    patternEventSource: null,
    recordedEventSource: 'cloudtrail.amazonaws.com',
    sourceUrl: `${PAGE}#cloudwatch-5`,
  },
  {
    controlId: 'CloudWatch.6',
    cisIds: ['v1.2.0/3.6', 'v1.4.0/4.6'],
    title: 'Ensure a log metric filter and alarm exist for AWS Management Console authentication failures',
    filterPattern: '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
    metricName: 'ConsoleAuthenticationFailure',
    exampleAlarmName: 'CIS-4.6-ConsoleAuthenticationFailure',
    subjectKo: '콘솔 로그인 실패',
    severity: 'medium',
    severityReason: 'failed calls (failed sign-ins)',
    eventNames: ['ConsoleLogin'],
    patternEventSource: null,
    recordedEventSource: 'signin.amazonaws.com',
    sourceUrl: `${PAGE}#cloudwatch-6`,
  },
  {
    controlId: 'CloudWatch.7',
    cisIds: ['v1.2.0/3.7', 'v1.4.0/4.7'],
    title:
      'Ensure a log metric filter and alarm exist for disabling or scheduled deletion of customer managed keys',
    filterPattern:
      '{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}',
    metricName: 'DisableOrDeleteCMK',
    exampleAlarmName: 'CIS-4.7-DisableOrDeleteCMK',
    subjectKo: 'KMS 키 비활성화·삭제 예약',
    severity: 'critical',
    severityReason:
      'changes to this pipeline: the alarm cannot tell whether the key encrypts the pipeline (topic, table, parameter, logs), so it takes the worst case',
    eventNames: ['DisableKey', 'ScheduleKeyDeletion'],
    patternEventSource: 'kms.amazonaws.com',
    recordedEventSource: 'kms.amazonaws.com',
    sourceUrl: `${PAGE}#cloudwatch-7`,
  },
  {
    controlId: 'CloudWatch.8',
    cisIds: ['v1.2.0/3.8', 'v1.4.0/4.8'],
    title: 'Ensure a log metric filter and alarm exist for S3 bucket policy changes',
    filterPattern:
      '{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}',
    metricName: 'S3BucketPolicyChanges',
    exampleAlarmName: 'CIS-4.8-S3BucketPolicyChanges',
    subjectKo: 'S3 버킷 정책 변경',
    severity: 'critical',
    severityReason: 'IAM and policy changes (bucket policies and ACLs)',
    eventNames: [
      'PutBucketAcl',
      'PutBucketPolicy',
      'PutBucketCors',
      'PutBucketLifecycle',
      'PutBucketReplication',
      'DeleteBucketPolicy',
      'DeleteBucketCors',
      'DeleteBucketLifecycle',
      'DeleteBucketReplication',
    ],
    patternEventSource: 's3.amazonaws.com',
    recordedEventSource: 's3.amazonaws.com',
    sourceUrl: `${PAGE}#cloudwatch-8`,
  },
  {
    controlId: 'CloudWatch.9',
    cisIds: ['v1.2.0/3.9', 'v1.4.0/4.9'],
    title: 'Ensure a log metric filter and alarm exist for AWS Config configuration changes',
    filterPattern:
      '{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}',
    metricName: 'AWSConfigChanges',
    exampleAlarmName: 'CIS-4.9-AWSConfigChanges',
    subjectKo: 'AWS Config 설정 변경',
    severity: 'high',
    severityReason: 'any other write (AWS Config is not part of this pipeline)',
    eventNames: [
      'StopConfigurationRecorder',
      'DeleteDeliveryChannel',
      'PutDeliveryChannel',
      'PutConfigurationRecorder',
    ],
    patternEventSource: 'config.amazonaws.com',
    recordedEventSource: 'config.amazonaws.com',
    sourceUrl: `${PAGE}#cloudwatch-9`,
  },
  {
    controlId: 'CloudWatch.10',
    cisIds: ['v1.2.0/3.10', 'v1.4.0/4.10'],
    title: 'Ensure a log metric filter and alarm exist for security group changes',
    filterPattern:
      '{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}',
    metricName: 'SecurityGroupChanges',
    exampleAlarmName: 'CIS-4.10-SecurityGroupChanges',
    subjectKo: '보안 그룹 변경',
    severity: 'high',
    severityReason: 'any other write',
    eventNames: [
      'AuthorizeSecurityGroupIngress',
      'AuthorizeSecurityGroupEgress',
      'RevokeSecurityGroupIngress',
      'RevokeSecurityGroupEgress',
      'CreateSecurityGroup',
      'DeleteSecurityGroup',
    ],
    patternEventSource: null,
    recordedEventSource: 'ec2.amazonaws.com',
    sourceUrl: `${PAGE}#cloudwatch-10`,
  },
  {
    controlId: 'CloudWatch.11',
    cisIds: ['v1.2.0/3.11', 'v1.4.0/4.11'],
    title: 'Ensure a log metric filter and alarm exist for changes to Network Access Control Lists (NACL)',
    filterPattern:
      '{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}',
    metricName: 'NetworkACLChanges',
    exampleAlarmName: 'CIS-4.11-NetworkACLChanges',
    subjectKo: '네트워크 ACL 변경',
    severity: 'high',
    severityReason: 'any other write',
    eventNames: [
      'CreateNetworkAcl',
      'CreateNetworkAclEntry',
      'DeleteNetworkAcl',
      'DeleteNetworkAclEntry',
      'ReplaceNetworkAclEntry',
      'ReplaceNetworkAclAssociation',
    ],
    patternEventSource: null,
    recordedEventSource: 'ec2.amazonaws.com',
    sourceUrl: `${PAGE}#cloudwatch-11`,
  },
  {
    controlId: 'CloudWatch.12',
    cisIds: ['v1.2.0/3.12', 'v1.4.0/4.12'],
    title: 'Ensure a log metric filter and alarm exist for changes to network gateways',
    filterPattern:
      '{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}',
    metricName: 'NetworkGatewayChanges',
    exampleAlarmName: 'CIS-4.12-NetworkGatewayChanges',
    subjectKo: '네트워크 게이트웨이 변경',
    severity: 'high',
    severityReason: 'any other write',
    eventNames: [
      'CreateCustomerGateway',
      'DeleteCustomerGateway',
      'AttachInternetGateway',
      'CreateInternetGateway',
      'DeleteInternetGateway',
      'DetachInternetGateway',
    ],
    patternEventSource: null,
    recordedEventSource: 'ec2.amazonaws.com',
    sourceUrl: `${PAGE}#cloudwatch-12`,
  },
  {
    controlId: 'CloudWatch.13',
    cisIds: ['v1.2.0/3.13', 'v1.4.0/4.13'],
    title: 'Ensure a log metric filter and alarm exist for route table changes',
    filterPattern:
      '{($.eventSource=ec2.amazonaws.com) && (($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable))}',
    cisGuidancePattern:
      '{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}',
    metricName: 'RouteTableChanges',
    exampleAlarmName: 'CIS-4.13-RouteTableChanges',
    subjectKo: '라우팅 테이블 변경',
    severity: 'high',
    severityReason: 'any other write',
    eventNames: [
      'CreateRoute',
      'CreateRouteTable',
      'ReplaceRoute',
      'ReplaceRouteTableAssociation',
      'DeleteRouteTable',
      'DeleteRoute',
      'DisassociateRouteTable',
    ],
    patternEventSource: 'ec2.amazonaws.com',
    recordedEventSource: 'ec2.amazonaws.com',
    sourceUrl: `${PAGE}#cloudwatch-13`,
  },
  {
    controlId: 'CloudWatch.14',
    cisIds: ['v1.2.0/3.14', 'v1.4.0/4.14'],
    title: 'Ensure a log metric filter and alarm exist for VPC changes',
    filterPattern:
      '{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}',
    metricName: 'VPCChanges',
    exampleAlarmName: 'CIS-4.14-VPCChanges',
    subjectKo: 'VPC 변경',
    severity: 'high',
    severityReason: 'any other write',
    eventNames: [
      'CreateVpc',
      'DeleteVpc',
      'ModifyVpcAttribute',
      'AcceptVpcPeeringConnection',
      'CreateVpcPeeringConnection',
      'DeleteVpcPeeringConnection',
      'RejectVpcPeeringConnection',
      'AttachClassicLinkVpc',
      'DetachClassicLinkVpc',
      'DisableVpcClassicLink',
      'EnableVpcClassicLink',
    ],
    patternEventSource: null,
    recordedEventSource: 'ec2.amazonaws.com',
    sourceUrl: `${PAGE}#cloudwatch-14`,
  },
];

/**
 * Every CloudTrail `eventName` the controls' patterns name (CloudWatch.1 and .2 select by identity and error,
 * not by name, and add none). `ConsoleLogin` is here because CloudWatch.3 and .6 watch it.
 */
export const CIS_WATCHED_EVENT_NAMES: ReadonlySet<string> = new Set(
  CIS_MONITORING_CONTROLS.flatMap((c) => c.eventNames),
);

/**
 * The subject map entries of the pack: metric name (used as the alarm name by the pack) → Korean subject,
 * in the shape of `DEFAULT_SUBJECT_MAP` in src/defaults.ts. The pack may name its alarms differently; then
 * map from its names with {@link CIS_MONITORING_CONTROLS}.
 */
export const CIS_SUBJECTS_KO: Readonly<Record<string, string>> = Object.fromEntries(
  CIS_MONITORING_CONTROLS.map((c) => [c.metricName, c.subjectKo]),
);

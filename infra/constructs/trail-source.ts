import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Properties of {@link NewTrail}. */
export interface NewTrailProps {
  /**
   * Retention of the trail's CloudWatch Logs log group, in days (one of the values CloudWatch Logs accepts,
   * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
   * @default 365
   */
  readonly logRetentionDays?: logs.RetentionDays;
  /**
   * Days after which the trail's log files are deleted from the S3 bucket (S3 lifecycle expiration,
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html).
   * @default 365
   */
  readonly bucketExpirationDays?: number;
}

/**
 * A new multi-region CloudTrail trail (management events, read and write, with log file validation) that
 * delivers to a private, encrypted, TLS-only S3 bucket and to a new CloudWatch Logs log group, through the
 * CloudTrail → CloudWatch Logs role that `cloudtrail.Trail` creates. The guide's section 2 assumes such a
 * trail exists (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html).
 * The bucket and the log group are retained when the stack is deleted: they are audit records.
 */
export class NewTrail extends Construct {
  /** The log group the trail delivers to; the metric filter reads it. */
  readonly logGroup: logs.LogGroup;
  /** The bucket that keeps the trail's log files. */
  readonly bucket: s3.Bucket;
  /** The trail. */
  readonly trail: cloudtrail.Trail;

  constructor(scope: Construct, id: string, props: NewTrailProps = {}) {
    super(scope, id);
    const expirationDays = props.bucketExpirationDays ?? 365;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'expire-trail-logs',
          expiration: Duration.days(expirationDays),
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket only receives CloudTrail log files, whose writes CloudTrail itself records and validates ' +
        '(log file validation); server access logs would need a further bucket that the guide does not have.',
    });
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetentionDays ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.trail = new cloudtrail.Trail(this, 'Trail', {
      bucket: this.bucket,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      managementEvents: cloudtrail.ReadWriteType.ALL,
      enableFileValidation: true,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: this.logGroup,
    });
  }
}

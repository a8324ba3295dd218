import { describe, expect, it } from 'vitest';
import { parseTrailPath, trailPrefix } from '../src/cloudwatch/org-trail-paths.js';

describe('parseTrailPath', () => {
  it('reads an organization trail key: organization, member account, Region, day, file', () => {
    expect(
      parseTrailPath(
        'AWSLogs/o-a1b2c3d4e5/222222222222/CloudTrail/ap-northeast-2/2026/12/01/222222222222_CloudTrail_ap-northeast-2_20261201T0015Z_Ab12Cd34Ef56Gh78.json.gz',
      ),
    ).toEqual({
      organizationId: 'o-a1b2c3d4e5',
      accountId: '222222222222',
      region: 'ap-northeast-2',
      date: '2026-12-01',
      kind: 'log',
      fileName: '222222222222_CloudTrail_ap-northeast-2_20261201T0015Z_Ab12Cd34Ef56Gh78.json.gz',
    });
  });

  it('reads a single-account key with a trail prefix, and a day folder without a file', () => {
    expect(parseTrailPath('security/trails/AWSLogs/111111111111/CloudTrail/us-east-1/2026/02/28/')).toEqual({
      accountId: '111111111111',
      region: 'us-east-1',
      date: '2026-02-28',
      kind: 'log',
      prefix: 'security/trails',
    });
  });

  it('reads local paths, digests and Insights folders, and GovCloud/China Regions', () => {
    expect(
      parseTrailPath(
        'C:\\logs\\AWSLogs\\o-a1b2c3d4e5\\333333333333\\CloudTrail\\us-gov-west-1\\2026\\11\\30\\f.json',
      ),
    ).toMatchObject({
      organizationId: 'o-a1b2c3d4e5',
      accountId: '333333333333',
      region: 'us-gov-west-1',
      prefix: 'C:/logs',
    });
    expect(
      parseTrailPath('AWSLogs/o-a1b2c3d4e5/222222222222/CloudTrail-Digest/cn-north-1/2026/12/01/d.json.gz'),
    ).toMatchObject({
      kind: 'digest',
      region: 'cn-north-1',
    });
    expect(
      parseTrailPath('AWSLogs/222222222222/CloudTrail-Insight/eu-west-1/2026/12/01/i.json.gz')?.kind,
    ).toBe('insight');
  });

  it('uses the last AWSLogs that starts a trail layout', () => {
    expect(
      parseTrailPath(
        'AWSLogs/archive/AWSLogs/o-a1b2c3d4e5/222222222222/CloudTrail/eu-west-1/2026/12/01/x.json.gz',
      ),
    ).toMatchObject({
      prefix: 'AWSLogs/archive',
      organizationId: 'o-a1b2c3d4e5',
    });
    expect(
      parseTrailPath('AWSLogs/111111111111/CloudTrail/us-east-1/2026/12/01/AWSLogs/x.json.gz'),
    ).toMatchObject({
      accountId: '111111111111',
      fileName: 'AWSLogs/x.json.gz',
    });
  });

  it('rejects keys that are not trail files down to a valid day', () => {
    for (const key of [
      'AWSLogs/o-a1b2c3d4e5/222222222222/CloudTrail/ap-northeast-2/2026/12/',
      'AWSLogs/o-a1b2c3d4e5/CloudTrail/ap-northeast-2/2026/12/01/x.json.gz',
      'AWSLogs/o-short/222222222222/CloudTrail/ap-northeast-2/2026/12/01/x.json.gz',
      'AWSLogs/22222222222/CloudTrail/ap-northeast-2/2026/12/01/x.json.gz',
      'AWSLogs/222222222222/CloudTrail/global/2026/12/01/x.json.gz',
      'AWSLogs/222222222222/CloudTrail/ap-northeast-2/2026/02/30/x.json.gz',
      'AWSLogs/222222222222/CloudTrail-Lake/Query/2026/12/01/q/result_1.csv.gz',
      'AWSLogs/222222222222/vpcflowlogs/ap-northeast-2/2026/12/01/x.log.gz',
      'logs/222222222222/CloudTrail/ap-northeast-2/2026/12/01/x.json.gz',
      '',
    ]) {
      expect(parseTrailPath(key), key).toBeUndefined();
    }
  });
});

describe('trailPrefix', () => {
  it('builds listing prefixes for organization and single-account trees', () => {
    expect(trailPrefix({ organizationId: 'o-a1b2c3d4e5', accountId: '222222222222' })).toBe(
      'AWSLogs/o-a1b2c3d4e5/222222222222/CloudTrail/',
    );
    expect(
      trailPrefix({
        prefix: 'org/',
        organizationId: 'o-a1b2c3d4e5',
        accountId: '222222222222',
        region: 'ap-northeast-2',
        date: '2026-12-01',
      }),
    ).toBe('org/AWSLogs/o-a1b2c3d4e5/222222222222/CloudTrail/ap-northeast-2/2026/12/01/');
    expect(trailPrefix({ accountId: '111111111111', region: 'us-east-1' })).toBe(
      'AWSLogs/111111111111/CloudTrail/us-east-1/',
    );
  });

  it('round-trips with parseTrailPath', () => {
    const prefix = trailPrefix({
      organizationId: 'o-a1b2c3d4e5',
      accountId: '222222222222',
      region: 'eu-central-1',
      date: '2024-02-29',
    });
    expect(parseTrailPath(`${prefix}f.json.gz`)).toEqual({
      organizationId: 'o-a1b2c3d4e5',
      accountId: '222222222222',
      region: 'eu-central-1',
      date: '2024-02-29',
      kind: 'log',
      fileName: 'f.json.gz',
    });
  });

  it('refuses ill-formed parts with a RangeError', () => {
    expect(() => trailPrefix({ organizationId: 'org-1', accountId: '222222222222' })).toThrow(RangeError);
    expect(() => trailPrefix({ accountId: '2222' })).toThrow(RangeError);
    expect(() => trailPrefix({ accountId: '222222222222', region: 'Seoul' })).toThrow(RangeError);
    expect(() => trailPrefix({ accountId: '222222222222', date: '2026-12-01' })).toThrow(RangeError);
    expect(() => trailPrefix({ accountId: '222222222222', region: 'us-east-1', date: '2026-13-01' })).toThrow(
      RangeError,
    );
  });
});

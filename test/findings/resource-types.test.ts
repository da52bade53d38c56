import { ResourceDetails$ } from '@aws-sdk/client-securityhub';
import { describe, expect, it } from 'vitest';
import { ASFF_RESOURCE_TYPES, asffResourceType } from '../../central/core/findings/resource-types.js';

describe('ASFF resource types', () => {
  it('are exactly the ResourceDetails members of the Security Hub API model, plus AwsAccount', () => {
    const model = new Set([...(ResourceDetails$[4] as string[]), 'AwsAccount']);
    expect([...ASFF_RESOURCE_TYPES].sort()).toEqual([...model].sort());
  });

  it('map CloudTrail resource types onto ASFF types, and unknown ones onto Other', () => {
    expect(asffResourceType('AWS::EC2::SecurityGroup')).toBe('AwsEc2SecurityGroup');
    expect(asffResourceType('AWS::RDS::DBInstance')).toBe('AwsRdsDbInstance');
    expect(asffResourceType('AWS::IAM::AccessKey')).toBe('AwsIamAccessKey');
    expect(asffResourceType('AWS::EC2::Snapshot')).toBe('Other');
    expect(asffResourceType('AwsS3Bucket')).toBe('AwsS3Bucket');
    expect(asffResourceType('bucket')).toBe('Other');
  });
});

/**
 * ASFF resource types Security Hub accepts in `Resources[].Type`: the members of the API's
 * `ResourceDetails` shape, plus `AwsAccount` and `Other`. Kept as data so the core needs no SDK; a
 * test holds this list equal to the SDK's model.
 */
export const ASFF_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'AwsAccount', 'Other',
  'AwsAmazonMqBroker', 'AwsApiGatewayRestApi', 'AwsApiGatewayStage', 'AwsApiGatewayV2Api',
  'AwsApiGatewayV2Stage', 'AwsAppSyncGraphQlApi', 'AwsAthenaWorkGroup', 'AwsAutoScalingAutoScalingGroup',
  'AwsAutoScalingLaunchConfiguration', 'AwsBackupBackupPlan', 'AwsBackupBackupVault',
  'AwsBackupRecoveryPoint', 'AwsCertificateManagerCertificate', 'AwsCloudFormationStack',
  'AwsCloudFrontDistribution', 'AwsCloudTrailTrail', 'AwsCloudWatchAlarm', 'AwsCodeBuildProject',
  'AwsDmsEndpoint', 'AwsDmsReplicationInstance', 'AwsDmsReplicationTask', 'AwsDynamoDbTable',
  'AwsEc2ClientVpnEndpoint', 'AwsEc2Eip', 'AwsEc2Instance', 'AwsEc2LaunchTemplate', 'AwsEc2NetworkAcl',
  'AwsEc2NetworkInterface', 'AwsEc2RouteTable', 'AwsEc2SecurityGroup', 'AwsEc2Subnet',
  'AwsEc2TransitGateway', 'AwsEc2Volume', 'AwsEc2Vpc', 'AwsEc2VpcEndpointService',
  'AwsEc2VpcPeeringConnection', 'AwsEc2VpnConnection', 'AwsEcrContainerImage', 'AwsEcrRepository',
  'AwsEcsCluster', 'AwsEcsContainer', 'AwsEcsService', 'AwsEcsTask', 'AwsEcsTaskDefinition',
  'AwsEfsAccessPoint', 'AwsEksCluster', 'AwsElasticBeanstalkEnvironment', 'AwsElasticsearchDomain',
  'AwsElbLoadBalancer', 'AwsElbv2LoadBalancer', 'AwsEventSchemasRegistry', 'AwsEventsEndpoint',
  'AwsEventsEventbus', 'AwsGuardDutyDetector', 'AwsIamAccessKey', 'AwsIamGroup', 'AwsIamPolicy',
  'AwsIamRole', 'AwsIamUser', 'AwsKinesisStream', 'AwsKmsKey', 'AwsLambdaFunction', 'AwsLambdaLayerVersion',
  'AwsMskCluster', 'AwsNetworkFirewallFirewall', 'AwsNetworkFirewallFirewallPolicy',
  'AwsNetworkFirewallRuleGroup', 'AwsOpenSearchServiceDomain', 'AwsRdsDbCluster', 'AwsRdsDbClusterSnapshot',
  'AwsRdsDbInstance', 'AwsRdsDbSecurityGroup', 'AwsRdsDbSnapshot', 'AwsRdsEventSubscription',
  'AwsRedshiftCluster', 'AwsRoute53HostedZone', 'AwsS3AccessPoint', 'AwsS3AccountPublicAccessBlock',
  'AwsS3Bucket', 'AwsS3Object', 'AwsSageMakerNotebookInstance', 'AwsSecretsManagerSecret', 'AwsSnsTopic',
  'AwsSqsQueue', 'AwsSsmPatchCompliance', 'AwsStepFunctionStateMachine', 'AwsWafRateBasedRule',
  'AwsWafRegionalRateBasedRule', 'AwsWafRegionalRule', 'AwsWafRegionalRuleGroup', 'AwsWafRegionalWebAcl',
  'AwsWafRule', 'AwsWafRuleGroup', 'AwsWafWebAcl', 'AwsWafv2RuleGroup', 'AwsWafv2WebAcl',
  'AwsXrayEncryptionConfig', 'AzureResource', 'CodeRepository', 'Container',
]);

const BY_LOWER_CASE = new Map([...ASFF_RESOURCE_TYPES].map((t) => [t.toLowerCase(), t]));

/** `AWS::EC2::SecurityGroup` (CloudTrail style) to `AwsEc2SecurityGroup`, or `Other` if Security Hub has no such type. */
export function asffResourceType(type: string): string {
  if (ASFF_RESOURCE_TYPES.has(type)) return type;
  const parts = type.split('::');
  if (parts.length !== 3 || parts[0] !== 'AWS') return 'Other';
  return BY_LOWER_CASE.get(('aws' + parts[1] + parts[2]).toLowerCase()) ?? 'Other';
}

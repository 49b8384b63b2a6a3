import * as pulumi from '@pulumi/pulumi';

export interface FunctionAccess {
  /** The function's own log group. */
  logGroupArn: pulumi.Input<string>;
  fileSystemArn: pulumi.Input<string>;
  accessPointArn: pulumi.Input<string>;
  /** Bedrock foundation models the function may invoke (the embedding model). */
  modelArns: pulumi.Input<string>[];
}

/**
 * The function's permissions, and nothing else: instead of the broad managed policies
 * (AWSLambdaVPCAccessExecutionRole writes to every log group, AmazonElasticFileSystemClientReadWriteAccess
 * mounts every file system). ENI and X-Ray actions have no resource-level permissions in IAM, hence `*`.
 */
export function functionPolicy(access: FunctionAccess) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Logs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [pulumi.interpolate`${access.logGroupArn}:*`],
      },
      {
        Sid: 'VpcNetworkInterfaces',
        Effect: 'Allow',
        Action: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        Resource: ['*'],
      },
      {
        Sid: 'Traces',
        Effect: 'Allow',
        Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        Resource: ['*'],
      },
      {
        Sid: 'FileSystemThroughAccessPoint',
        Effect: 'Allow',
        Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        Resource: [access.fileSystemArn],
        Condition: { StringEquals: { 'elasticfilesystem:AccessPointArn': access.accessPointArn } },
      },
      {
        Sid: 'Embeddings',
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel'],
        Resource: access.modelArns,
      },
    ],
  };
}

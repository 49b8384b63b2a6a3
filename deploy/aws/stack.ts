import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { createDatabase, type DatabaseSettings } from './database.js';
import { createDomain } from './domain.js';
import { functionPolicy } from './policy.js';

/** What one deployment of wikibot on AWS is made of (read from `pulumi config` by index.ts). */
export interface StackSettings {
  project: string;
  environment: string;
  vpcCidr: string;
  /** Availability zones used: one public and one private subnet in each. */
  availabilityZones: string[];
  /** A NAT gateway gives the function egress (external issuer's JWKS, Bedrock); off: S3 only. */
  natGateway: boolean;
  /** The function's image (ECR); default: the repository's `latest`. */
  image?: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** Where the EFS access point is mounted in the function. */
  efsMountPath: string;
  /** The public URL (custom domain); default: the API's endpoint. */
  baseUrl?: string;
  /** A custom domain for the API, with an ACM certificate validated by DNS. */
  domain?: string;
  /** The domain's Route 53 hosted zone, if it has one: DNS records made by the program. */
  hostedZoneId?: string;
  budgetUsd: number;
  budgetEmail: string;
  logRetentionDays: number;
  /** The Bedrock embedding model (the function may invoke this one only). */
  embeddingModel: string;
  /** Aurora Serverless v2 as the platform store; without it the store is SQLite on EFS. */
  database?: DatabaseSettings;
  adminToken?: pulumi.Input<string>;
}

/** Subnets of /24 inside the VPC's /16: public from .0, private from .128. */
export function subnetCidr(vpcCidr: string, index: number, kind: 'public' | 'private'): string {
  const [a, b] = vpcCidr.split('.');
  return `${a}.${b}.${(kind === 'public' ? 0 : 128) + index}.0/24`;
}

export function createStack(settings: StackSettings) {
  if (settings.database && settings.availabilityZones.length < 2)
    throw new Error('Aurora needs subnets in two availability zones: set two availabilityZones');
  const name = `${settings.project}-${settings.environment}`;
  const tags = { project: settings.project, environment: settings.environment };
  const region = aws.getRegionOutput().name;

  // ---- network ---------------------------------------------------------------------------------
  const vpc = new aws.ec2.Vpc(`${name}-vpc`, {
    cidrBlock: settings.vpcCidr,
    enableDnsHostnames: true,
    enableDnsSupport: true,
    tags,
  });
  const internet = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags });
  const publicSubnets = settings.availabilityZones.map(
    (zone, i) =>
      new aws.ec2.Subnet(`${name}-public-${i}`, {
        vpcId: vpc.id,
        cidrBlock: subnetCidr(settings.vpcCidr, i, 'public'),
        availabilityZone: zone,
        mapPublicIpOnLaunch: false,
        tags: { ...tags, tier: 'public' },
      }),
  );
  const privateSubnets = settings.availabilityZones.map(
    (zone, i) =>
      new aws.ec2.Subnet(`${name}-private-${i}`, {
        vpcId: vpc.id,
        cidrBlock: subnetCidr(settings.vpcCidr, i, 'private'),
        availabilityZone: zone,
        tags: { ...tags, tier: 'private' },
      }),
  );
  const publicRoutes = new aws.ec2.RouteTable(`${name}-public-rt`, {
    vpcId: vpc.id,
    routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: internet.id }],
    tags,
  });
  for (const [i, subnet] of publicSubnets.entries()) {
    new aws.ec2.RouteTableAssociation(`${name}-public-rta-${i}`, {
      subnetId: subnet.id,
      routeTableId: publicRoutes.id,
    });
  }
  let natRoutes: aws.types.input.ec2.RouteTableRoute[] = [];
  if (settings.natGateway) {
    const address = new aws.ec2.Eip(`${name}-nat-ip`, { domain: 'vpc', tags });
    const nat = new aws.ec2.NatGateway(`${name}-nat`, {
      allocationId: address.id,
      subnetId: (publicSubnets[0] as aws.ec2.Subnet).id,
      tags,
    });
    natRoutes = [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }];
  }
  const privateRoutes = new aws.ec2.RouteTable(`${name}-private-rt`, {
    vpcId: vpc.id,
    routes: natRoutes,
    tags,
  });
  for (const [i, subnet] of privateSubnets.entries()) {
    new aws.ec2.RouteTableAssociation(`${name}-private-rta-${i}`, {
      subnetId: subnet.id,
      routeTableId: privateRoutes.id,
    });
  }
  const s3Endpoint = new aws.ec2.VpcEndpoint(`${name}-s3`, {
    vpcId: vpc.id,
    serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
    vpcEndpointType: 'Gateway',
    routeTableIds: [privateRoutes.id],
    tags,
  });

  const functionGroup = new aws.ec2.SecurityGroup(`${name}-lambda-sg`, {
    vpcId: vpc.id,
    description: 'wikibot function: egress only',
    egress: [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }],
    tags,
  });
  const fileSystemGroup = new aws.ec2.SecurityGroup(`${name}-efs-sg`, {
    vpcId: vpc.id,
    description: 'EFS: NFS from the wikibot function only',
    ingress: [{ protocol: 'tcp', fromPort: 2049, toPort: 2049, securityGroups: [functionGroup.id] }],
    tags,
  });
  const database =
    settings.database &&
    createDatabase(
      name,
      tags,
      { vpcId: vpc.id, subnetIds: privateSubnets.map((s) => s.id), clientGroupId: functionGroup.id },
      settings.database,
    );

  // ---- storage: repositories and index snapshots on EFS ----------------------------------------
  const fileSystem = new aws.efs.FileSystem(`${name}-efs`, {
    encrypted: true,
    performanceMode: 'generalPurpose',
    throughputMode: 'elastic',
    tags,
  });
  const mountTargets = privateSubnets.map(
    (subnet, i) =>
      new aws.efs.MountTarget(`${name}-efs-mt-${i}`, {
        fileSystemId: fileSystem.id,
        subnetId: subnet.id,
        securityGroups: [fileSystemGroup.id],
      }),
  );
  const accessPoint = new aws.efs.AccessPoint(`${name}-efs-ap`, {
    fileSystemId: fileSystem.id,
    posixUser: { uid: 1000, gid: 1000 },
    rootDirectory: {
      path: '/wikibot',
      creationInfo: { ownerUid: 1000, ownerGid: 1000, permissions: '750' },
    },
    tags,
  });

  // ---- the function ----------------------------------------------------------------------------
  const images = new aws.ecr.Repository(`${name}-images`, {
    imageScanningConfiguration: { scanOnPush: true },
    tags,
  });
  const role = new aws.iam.Role(`${name}-lambda-role`, {
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    }),
    tags,
  });
  const functionName = `${name}-wikibot`;
  const logs = new aws.cloudwatch.LogGroup(`${name}-lambda-logs`, {
    name: `/aws/lambda/${functionName}`,
    retentionInDays: settings.logRetentionDays,
    tags,
  });
  new aws.iam.RolePolicy(`${name}-lambda-policy`, {
    role: role.id,
    policy: pulumi.jsonStringify(
      functionPolicy({
        logGroupArn: logs.arn,
        fileSystemArn: fileSystem.arn,
        accessPointArn: accessPoint.arn,
        modelArns: [
          pulumi.interpolate`arn:aws:bedrock:${region}::foundation-model/${settings.embeddingModel}`,
        ],
      }),
    ),
  });
  const api = new aws.apigatewayv2.Api(`${name}-api`, { protocolType: 'HTTP', tags });
  const baseUrl = settings.baseUrl ?? (settings.domain ? `https://${settings.domain}` : api.apiEndpoint);
  const fn = new aws.lambda.Function(
    `${name}-function`,
    {
      name: functionName,
      packageType: 'Image',
      imageUri: settings.image ?? pulumi.interpolate`${images.repositoryUrl}:latest`,
      role: role.arn,
      memorySize: settings.memoryMb,
      timeout: settings.timeoutSeconds,
      vpcConfig: { subnetIds: privateSubnets.map((s) => s.id), securityGroupIds: [functionGroup.id] },
      fileSystemConfig: { arn: accessPoint.arn, localMountPath: settings.efsMountPath },
      tracingConfig: { mode: 'Active' },
      environment: {
        variables: {
          WIKIBOT_DATA: settings.efsMountPath,
          WIKIBOT_INDEX_DIR: '/tmp/wikibot-index',
          WIKIBOT_INDEX_SNAPSHOT_EVERY: '50',
          WIKIBOT_BASE_URL: baseUrl,
          WIKIBOT_EMBEDDING_PROVIDER: 'bedrock',
          WIKIBOT_EMBEDDING_REGION: region,
          WIKIBOT_EMBEDDING_MODEL: settings.embeddingModel,
          // Spans to the X-Ray daemon Lambda runs beside the function (tracing Active).
          WIKIBOT_TRACING: 'true',
          WIKIBOT_TRACING_EXPORTER: 'xray-daemon',
          OTEL_SERVICE_NAME: functionName,
          // One request at a time per instance: a small pool, so many instances fit Aurora's connections.
          ...(database ? { WIKIBOT_DATABASE_URL: database.url, WIKIBOT_DATABASE_POOL_SIZE: '2' } : {}),
          ...(settings.adminToken ? { WIKIBOT_ADMIN_TOKEN: settings.adminToken } : {}),
        },
      },
      tags,
    },
    { dependsOn: [...mountTargets, logs, ...(database ? [database.instance] : [])] },
  );

  // ---- the API: every path to the one function -------------------------------------------------
  const apiLogs = new aws.cloudwatch.LogGroup(`${name}-api-logs`, {
    retentionInDays: settings.logRetentionDays,
    tags,
  });
  const integration = new aws.apigatewayv2.Integration(`${name}-integration`, {
    apiId: api.id,
    integrationType: 'AWS_PROXY',
    integrationUri: fn.arn,
    payloadFormatVersion: '2.0',
  });
  new aws.apigatewayv2.Route(`${name}-route`, {
    apiId: api.id,
    routeKey: '$default',
    target: pulumi.interpolate`integrations/${integration.id}`,
  });
  const stage = new aws.apigatewayv2.Stage(`${name}-stage`, {
    apiId: api.id,
    name: '$default',
    autoDeploy: true,
    accessLogSettings: {
      destinationArn: apiLogs.arn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        method: '$context.httpMethod',
        path: '$context.path',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
        integrationLatencyMs: '$context.integrationLatency',
      }),
    },
    tags,
  });
  new aws.lambda.Permission(`${name}-api-invoke`, {
    action: 'lambda:InvokeFunction',
    function: fn.name,
    principal: 'apigateway.amazonaws.com',
    sourceArn: pulumi.interpolate`${api.executionArn}/*/*`,
  });
  const custom =
    settings.domain &&
    createDomain(
      name,
      tags,
      { apiId: api.id, stageId: stage.id },
      { domain: settings.domain, ...(settings.hostedZoneId ? { hostedZoneId: settings.hostedZoneId } : {}) },
    );

  // ---- background work: the scheduled drain of embedding queues --------------------------------
  const schedule = new aws.cloudwatch.EventRule(`${name}-background`, {
    scheduleExpression: 'rate(5 minutes)',
    description: 'wikibot: drain queued embedding work',
    tags,
  });
  new aws.cloudwatch.EventTarget(`${name}-background-target`, { rule: schedule.name, arn: fn.arn });
  new aws.lambda.Permission(`${name}-schedule-invoke`, {
    action: 'lambda:InvokeFunction',
    function: fn.name,
    principal: 'events.amazonaws.com',
    sourceArn: schedule.arn,
  });

  // ---- cost ------------------------------------------------------------------------------------
  const budget = new aws.budgets.Budget(`${name}-budget`, {
    budgetType: 'COST',
    limitAmount: String(settings.budgetUsd),
    limitUnit: 'USD',
    timeUnit: 'MONTHLY',
    notifications: (['FORECASTED', 'ACTUAL'] as const).map((notificationType) => ({
      comparisonOperator: 'GREATER_THAN',
      threshold: notificationType === 'ACTUAL' ? 100 : 80,
      thresholdType: 'PERCENTAGE',
      notificationType,
      subscriberEmailAddresses: [settings.budgetEmail],
    })),
    tags,
  });

  return {
    vpc,
    publicSubnets,
    privateSubnets,
    privateRoutes,
    s3Endpoint,
    functionGroup,
    fileSystemGroup,
    fileSystem,
    accessPoint,
    fn,
    api,
    stage,
    budget,
    role,
    ...(database ? { database } : {}),
    url: baseUrl,
    ...(custom ? { certificateValidation: custom.challenge } : {}),
  };
}

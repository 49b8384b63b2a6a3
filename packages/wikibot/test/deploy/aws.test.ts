import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The AWS infrastructure program (deploy/aws), run offline against Pulumi's runtime mocks (no AWS
 * account, no Pulumi service): every resource it declares is recorded with its inputs.
 */

interface Declared {
  type: string;
  name: string;
  inputs: Record<string, any>;
}
const declared: Declared[] = [];

/** Outside this package's TypeScript project (deploy/aws has its own): imported by a computed path. */
const STACK_MODULE = '../../../../deploy/aws/stack.js';

const SETTINGS = {
  project: 'wikibot',
  environment: 'dev',
  vpcCidr: '10.20.0.0/16',
  availabilityZones: ['eu-west-1a', 'eu-west-1b'],
  natGateway: true,
  memoryMb: 1024,
  timeoutSeconds: 30,
  efsMountPath: '/mnt/efs',
  domain: 'wiki.example.com',
  hostedZoneId: 'ZWIKI',
  budgetUsd: 50,
  budgetEmail: 'ops@example.com',
  logRetentionDays: 14,
  embeddingModel: 'amazon.titan-embed-text-v2:0',
  database: { password: pulumi.secret('p@ss/word'), engineVersion: '16.6', minCapacity: 0, maxCapacity: 2 },
};
const CLUSTER_ENDPOINT = 'wikibot-dev-db.cluster-mock.eu-west-1.rds.amazonaws.com';

const CHALLENGE = {
  domainName: 'wiki.example.com',
  resourceRecordName: '_abc.wiki.example.com.',
  resourceRecordType: 'CNAME',
  resourceRecordValue: '_def.acm-validations.aws.',
};
const API_DOMAIN_TARGET = 'd-mock.execute-api.eu-west-1.amazonaws.com';

/** What AWS would compute for a resource of these types. */
function outputsOf(type: string, inputs: Record<string, any>): Record<string, unknown> {
  if (type === 'aws:acm/certificate:Certificate') return { domainValidationOptions: [CHALLENGE] };
  if (type === 'aws:apigatewayv2/domainName:DomainName')
    return {
      domainNameConfiguration: {
        ...inputs.domainNameConfiguration,
        targetDomainName: API_DOMAIN_TARGET,
        hostedZoneId: 'ZAPIGATEWAY',
      },
    };
  if (type === 'aws:route53/record:Record') return { fqdn: inputs.name };
  return {};
}

let stack: Record<string, unknown>;
let createStack: (settings: Partial<typeof SETTINGS>) => Record<string, unknown>;

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        declared.push({ type: args.type, name: args.name, inputs: args.inputs });
        const arn = `arn:aws:mock:eu-west-1:123456789012:${args.name}`;
        return {
          id: `${args.name}-id`,
          state: {
            ...args.inputs,
            arn,
            name: args.inputs.name ?? args.name,
            executionArn: arn,
            invokeArn: arn,
            apiEndpoint: 'https://mock.execute-api.eu-west-1.amazonaws.com',
            repositoryUrl: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/wikibot',
            endpoint: CLUSTER_ENDPOINT,
            ...outputsOf(args.type, args.inputs),
          },
        };
      },
      call: (args) =>
        args.token === 'aws:index/getRegion:getRegion'
          ? { name: 'eu-west-1', region: 'eu-west-1' }
          : args.inputs,
    },
    'wikibot',
    'dev',
    false,
  );
  ({ createStack } = (await import(STACK_MODULE)) as { createStack: typeof createStack });
  stack = createStack(SETTINGS);
  // Resources register as their inputs resolve: wait until every registration has been made.
  await pulumi.runtime.disconnect();
});

function value<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

const ofType = (type: string) => declared.filter((d) => d.type === type);
const one = (type: string) => {
  const found = ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0] as Declared;
};

/** Whether the AWS provider gives a resource type a `tags` input (read from the provider's own code). */
const awsPackage = dirname(createRequire(import.meta.url).resolve('@pulumi/aws/package.json'));
function takesTags(type: string): boolean {
  const [, module = '', resource = ''] = /^aws:([^/]+)\/([^:]+):/.exec(type) ?? [];
  return readFileSync(join(awsPackage, module, `${resource}.js`), 'utf8').includes('resourceInputs["tags"]');
}

/** A secret input as the mocks see it (wrapped, so the state keeps it encrypted): its value. */
const SECRET_SIGNATURE = '4dabf18193072939515e22adb298388d';
function secretValue(input: any) {
  expect(input?.[SECRET_SIGNATURE], 'a Pulumi secret').toBeDefined();
  return input.value;
}

const idOf = (resource: unknown) => value((resource as pulumi.CustomResource).id);
const byName = (suffix: string) => declared.find((d) => d.name.endsWith(suffix)) as Declared;

describe('deploy/aws (Pulumi runtime mocks, offline)', () => {
  it('lays out the VPC: its CIDR, one public and one private /24 per availability zone', () => {
    expect(one('aws:ec2/vpc:Vpc').inputs.cidrBlock).toBe('10.20.0.0/16');
    const subnets = ofType('aws:ec2/subnet:Subnet').map((s) => [
      s.inputs.tags.tier,
      s.inputs.cidrBlock,
      s.inputs.availabilityZone,
    ]);
    expect(subnets.sort()).toEqual([
      ['private', '10.20.128.0/24', 'eu-west-1a'],
      ['private', '10.20.129.0/24', 'eu-west-1b'],
      ['public', '10.20.0.0/24', 'eu-west-1a'],
      ['public', '10.20.1.0/24', 'eu-west-1b'],
    ]);
    for (const subnet of ofType('aws:ec2/subnet:Subnet'))
      expect(subnet.inputs.mapPublicIpOnLaunch).toBeFalsy();
  });

  it('puts the S3 gateway endpoint on the private route table, and the NAT route there too', async () => {
    const endpoint = one('aws:ec2/vpcEndpoint:VpcEndpoint');
    expect(endpoint.inputs.vpcEndpointType).toBe('Gateway');
    expect(endpoint.inputs.serviceName).toBe('com.amazonaws.eu-west-1.s3');
    expect(endpoint.inputs.routeTableIds).toEqual([await idOf(stack.privateRoutes)]);
    const privateRoutes = byName('-private-rt');
    expect(privateRoutes.inputs.routes).toEqual([
      expect.objectContaining({ cidrBlock: '0.0.0.0/0', natGatewayId: `${byName('-nat').name}-id` }),
    ]);
    const privateSubnetIds = await Promise.all((stack.privateSubnets as unknown[]).map(idOf));
    const associated = ofType('aws:ec2/routeTableAssociation:RouteTableAssociation')
      .filter((a) => a.inputs.routeTableId === `${privateRoutes.name}-id`)
      .map((a) => a.inputs.subnetId);
    expect(associated.sort()).toEqual(privateSubnetIds.sort());
  });

  it('lets NFS (2049) into EFS from the function’s security group only', async () => {
    const efsGroup = byName('-efs-sg');
    const functionGroupId = await idOf(stack.functionGroup);
    expect(efsGroup.inputs.ingress).toEqual([
      expect.objectContaining({
        protocol: 'tcp',
        fromPort: 2049,
        toPort: 2049,
        securityGroups: [functionGroupId],
      }),
    ]);
    expect(efsGroup.inputs.ingress[0].cidrBlocks ?? []).toEqual([]);
    const mountTargets = ofType('aws:efs/mountTarget:MountTarget');
    expect(mountTargets).toHaveLength(SETTINGS.availabilityZones.length);
    for (const target of mountTargets) expect(target.inputs.securityGroups).toEqual([`${efsGroup.name}-id`]);
  });

  it('lets PostgreSQL (5432) into Aurora from the function’s security group only', async () => {
    const dbGroup = byName('-db-sg');
    expect(dbGroup.inputs.ingress).toEqual([
      expect.objectContaining({
        protocol: 'tcp',
        fromPort: 5432,
        toPort: 5432,
        securityGroups: [await idOf(stack.functionGroup)],
      }),
    ]);
    expect(dbGroup.inputs.ingress[0].cidrBlocks ?? []).toEqual([]);
    expect(dbGroup.inputs.egress ?? []).toEqual([]);
  });

  it('runs the platform store on Aurora Serverless v2 (min 0 ACU) in the private subnets, credentials in Secrets Manager', async () => {
    const cluster = one('aws:rds/cluster:Cluster');
    expect(cluster.inputs).toMatchObject({
      engine: 'aurora-postgresql',
      engineMode: 'provisioned',
      engineVersion: '16.6',
      storageEncrypted: true,
      serverlessv2ScalingConfiguration: { minCapacity: 0, maxCapacity: 2, secondsUntilAutoPause: 600 },
      vpcSecurityGroupIds: [`${byName('-db-sg').name}-id`],
    });
    expect(one('aws:rds/clusterInstance:ClusterInstance').inputs).toMatchObject({
      instanceClass: 'db.serverless',
      publiclyAccessible: false,
    });
    const subnetGroup = one('aws:rds/subnetGroup:SubnetGroup');
    expect(cluster.inputs.dbSubnetGroupName).toBe(subnetGroup.name);
    expect(subnetGroup.inputs.subnetIds.sort()).toEqual(
      (await Promise.all((stack.privateSubnets as unknown[]).map(idOf))).sort(),
    );
    const secret = JSON.parse(
      secretValue(one('aws:secretsmanager/secretVersion:SecretVersion').inputs.secretString),
    );
    expect(secret).toEqual({
      engine: 'postgres',
      username: 'wikibot',
      password: 'p@ss/word',
      host: CLUSTER_ENDPOINT,
      port: 5432,
      dbname: 'wikibot',
    });
    // The function reaches the store by a URL that stays a Pulumi secret (encrypted in the state).
    const url = (stack.database as { url: pulumi.Output<string> }).url;
    expect(await pulumi.isSecret(url)).toBe(true);
    const env = secretValue(one('aws:lambda/function:Function').inputs.environment).variables;
    expect(env.WIKIBOT_DATABASE_URL).toBe(
      `postgres://wikibot:p%40ss%2Fword@${CLUSTER_ENDPOINT}:5432/wikibot?sslmode=no-verify`,
    );
    expect(env.WIKIBOT_DATABASE_POOL_SIZE).toBe('2');
  });

  it('needs two availability zones for Aurora, and says so', () => {
    expect(() =>
      createStack({ ...SETTINGS, environment: 'solo', availabilityZones: ['eu-west-1a'] }),
    ).toThrow(/two availability zones/);
  });

  it('mounts the EFS access point (uid/gid 1000) at the configured path, with tracing on', async () => {
    const point = one('aws:efs/accessPoint:AccessPoint');
    expect(point.inputs.posixUser).toEqual({ uid: 1000, gid: 1000 });
    expect(point.inputs.rootDirectory.path).toBe('/wikibot');
    const fn = one('aws:lambda/function:Function');
    expect(fn.inputs.fileSystemConfig).toEqual({
      arn: await value((stack.accessPoint as aws_AccessPoint).arn),
      localMountPath: '/mnt/efs',
    });
    expect(fn.inputs.tracingConfig).toEqual({ mode: 'Active' });
    expect(fn.inputs.packageType).toBe('Image');
    expect(secretValue(fn.inputs.environment).variables).toMatchObject({
      WIKIBOT_DATA: '/mnt/efs',
      WIKIBOT_INDEX_DIR: '/tmp/wikibot-index',
      WIKIBOT_BASE_URL: 'https://wiki.example.com',
      WIKIBOT_EMBEDDING_PROVIDER: 'bedrock',
      WIKIBOT_EMBEDDING_MODEL: 'amazon.titan-embed-text-v2:0',
      WIKIBOT_TRACING: 'true',
      WIKIBOT_TRACING_EXPORTER: 'xray-daemon',
    });
    expect(fn.inputs.vpcConfig.subnetIds).toHaveLength(2);
    expect(fn.inputs.vpcConfig.securityGroupIds).toEqual([await idOf(stack.functionGroup)]);
  });

  it('grants the function only what it uses, each statement scoped to its resource', () => {
    expect(ofType('aws:iam/rolePolicyAttachment:RolePolicyAttachment')).toEqual([]);
    const policy = JSON.parse(one('aws:iam/rolePolicy:RolePolicy').inputs.policy);
    const statements = Object.fromEntries(
      (policy.Statement as Array<{ Sid: string }>).map(({ Sid, ...rest }) => [Sid, rest]),
    );
    const arn = (resource: string) => `arn:aws:mock:eu-west-1:123456789012:${resource}`;
    expect(statements).toEqual({
      Logs: {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [`${arn('wikibot-dev-lambda-logs')}:*`],
      },
      // No resource-level permissions exist for these actions.
      VpcNetworkInterfaces: {
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
      Traces: {
        Effect: 'Allow',
        Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        Resource: ['*'],
      },
      FileSystemThroughAccessPoint: {
        Effect: 'Allow',
        Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        Resource: [arn('wikibot-dev-efs')],
        Condition: { StringEquals: { 'elasticfilesystem:AccessPointArn': arn('wikibot-dev-efs-ap') } },
      },
      Embeddings: {
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel'],
        Resource: ['arn:aws:bedrock:eu-west-1::foundation-model/amazon.titan-embed-text-v2:0'],
      },
    });
  });

  it('routes every path of the HTTP API to the function with payload format 2.0', () => {
    expect(one('aws:apigatewayv2/api:Api').inputs.protocolType).toBe('HTTP');
    expect(one('aws:apigatewayv2/route:Route').inputs.routeKey).toBe('$default');
    expect(one('aws:apigatewayv2/integration:Integration').inputs.payloadFormatVersion).toBe('2.0');
    expect(one('aws:apigatewayv2/stage:Stage').inputs.accessLogSettings.destinationArn).toBeTruthy();
  });

  it('serves the custom domain once its certificate is validated through Route 53, aliased to the API', () => {
    const certificate = one('aws:acm/certificate:Certificate');
    expect(certificate.inputs).toMatchObject({ domainName: 'wiki.example.com', validationMethod: 'DNS' });
    const records = Object.fromEntries(ofType('aws:route53/record:Record').map((r) => [r.name, r.inputs]));
    expect(records['wikibot-dev-cert-validation']).toMatchObject({
      zoneId: 'ZWIKI',
      name: CHALLENGE.resourceRecordName,
      type: 'CNAME',
      records: [CHALLENGE.resourceRecordValue],
    });
    expect(one('aws:acm/certificateValidation:CertificateValidation').inputs).toEqual({
      certificateArn: 'arn:aws:mock:eu-west-1:123456789012:wikibot-dev-cert',
      validationRecordFqdns: [CHALLENGE.resourceRecordName],
    });
    // The domain takes the certificate from the validation: it is created only once ACM issued it.
    expect(one('aws:apigatewayv2/domainName:DomainName').inputs.domainNameConfiguration).toMatchObject({
      certificateArn: 'arn:aws:mock:eu-west-1:123456789012:wikibot-dev-cert',
      endpointType: 'REGIONAL',
      securityPolicy: 'TLS_1_2',
    });
    expect(one('aws:apigatewayv2/apiMapping:ApiMapping').inputs).toMatchObject({
      apiId: 'wikibot-dev-api-id',
      stage: 'wikibot-dev-stage-id',
    });
    expect(records['wikibot-dev-domain-alias']).toMatchObject({
      zoneId: 'ZWIKI',
      name: 'wiki.example.com',
      type: 'A',
      aliases: [{ name: API_DOMAIN_TARGET, zoneId: 'ZAPIGATEWAY', evaluateTargetHealth: false }],
    });
  });

  it('invokes the function on a schedule for background work, with EventBridge allowed to', () => {
    const rule = one('aws:cloudwatch/eventRule:EventRule');
    expect(rule.inputs.scheduleExpression).toBe('rate(5 minutes)');
    const fnArn = 'arn:aws:mock:eu-west-1:123456789012:wikibot-dev-function';
    expect(one('aws:cloudwatch/eventTarget:EventTarget').inputs).toMatchObject({
      rule: 'wikibot-dev-background',
      arn: fnArn,
    });
    expect(
      ofType('aws:lambda/permission:Permission').map((p) => [p.inputs.principal, p.inputs.sourceArn]),
    ).toEqual(
      expect.arrayContaining([
        ['events.amazonaws.com', 'arn:aws:mock:eu-west-1:123456789012:wikibot-dev-background'],
      ]),
    );
  });

  it('keeps logs for the configured number of days', () => {
    const groups = ofType('aws:cloudwatch/logGroup:LogGroup');
    expect(groups).toHaveLength(2);
    for (const group of groups) expect(group.inputs.retentionInDays, group.name).toBe(14);
  });

  it('alarms on the monthly budget at 80 % forecast and 100 % actual, e-mailing the configured address', () => {
    const budget = one('aws:budgets/budget:Budget');
    expect(budget.inputs).toMatchObject({
      budgetType: 'COST',
      limitAmount: '50',
      limitUnit: 'USD',
      timeUnit: 'MONTHLY',
    });
    expect(
      budget.inputs.notifications.map((n: Record<string, unknown>) => [
        n.notificationType,
        n.threshold,
        n.thresholdType,
        n.subscriberEmailAddresses,
      ]),
    ).toEqual([
      ['FORECASTED', 80, 'PERCENTAGE', ['ops@example.com']],
      ['ACTUAL', 100, 'PERCENTAGE', ['ops@example.com']],
    ]);
  });

  it('tags every resource that takes tags (per the AWS provider) with project and environment', () => {
    const taggable = declared.filter((d) => takesTags(d.type));
    expect(taggable.length).toBeGreaterThan(25);
    for (const resource of taggable) {
      expect(resource.inputs.tags, `${resource.type} ${resource.name}`).toMatchObject({
        project: 'wikibot',
        environment: 'dev',
      });
    }
    // What takes no tags: associations, policies, routes, permissions, targets, secret versions.
    expect(declared.filter((d) => !takesTags(d.type)).map((d) => d.type.split(':')[2])).not.toContain(
      'Function',
    );
  });
});

type aws_AccessPoint = pulumi.CustomResource & { arn: pulumi.Output<string> };

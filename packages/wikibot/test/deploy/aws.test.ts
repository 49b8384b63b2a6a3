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
  availabilityZones: ['eu-west-1a'],
  natGateway: true,
  memoryMb: 1024,
  timeoutSeconds: 30,
  efsMountPath: '/mnt/efs',
  domain: 'wiki.example.com',
  budgetUsd: 50,
  budgetEmail: 'ops@example.com',
};

let stack: Record<string, unknown>;

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
  const { createStack } = (await import(STACK_MODULE)) as {
    createStack(settings: typeof SETTINGS): Record<string, unknown>;
  };
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
      ['public', '10.20.0.0/24', 'eu-west-1a'],
    ]);
  });

  it('puts the S3 gateway endpoint on the private route table', async () => {
    const endpoint = one('aws:ec2/vpcEndpoint:VpcEndpoint');
    expect(endpoint.inputs.vpcEndpointType).toBe('Gateway');
    expect(endpoint.inputs.serviceName).toBe('com.amazonaws.eu-west-1.s3');
    expect(endpoint.inputs.routeTableIds).toEqual([
      await value((stack.privateRoutes as pulumi.CustomResource).id),
    ]);
  });

  it('lets NFS (2049) into EFS from the function’s security group only', async () => {
    const efsGroup = declared.find((d) => d.name.endsWith('-efs-sg')) as Declared;
    const functionGroupId = await value((stack.functionGroup as pulumi.CustomResource).id);
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
    for (const target of mountTargets)
      expect(target.inputs.securityGroups).toEqual([efsGroup.inputs.name ?? `${efsGroup.name}-id`]);
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
    expect(fn.inputs.environment.variables).toMatchObject({
      WIKIBOT_DATA: '/mnt/efs',
      WIKIBOT_INDEX_DIR: '/tmp/wikibot-index',
      WIKIBOT_BASE_URL: 'https://wiki.example.com',
    });
    expect(fn.inputs.vpcConfig.subnetIds).toHaveLength(1);
  });

  it('routes every path of the HTTP API to the function with payload format 2.0', () => {
    expect(one('aws:apigatewayv2/api:Api').inputs.protocolType).toBe('HTTP');
    expect(one('aws:apigatewayv2/route:Route').inputs.routeKey).toBe('$default');
    expect(one('aws:apigatewayv2/integration:Integration').inputs.payloadFormatVersion).toBe('2.0');
    expect(one('aws:apigatewayv2/stage:Stage').inputs.accessLogSettings.destinationArn).toBeTruthy();
    expect(one('aws:cloudwatch/eventRule:EventRule').inputs.scheduleExpression).toBe('rate(5 minutes)');
  });

  it('alarms on the monthly budget, e-mailing the configured address', () => {
    const budget = one('aws:budgets/budget:Budget');
    expect(budget.inputs).toMatchObject({
      budgetType: 'COST',
      limitAmount: '50',
      limitUnit: 'USD',
      timeUnit: 'MONTHLY',
    });
    for (const notification of budget.inputs.notifications) {
      expect(notification.subscriberEmailAddresses).toEqual(['ops@example.com']);
    }
  });

  it('tags every resource that takes tags with project and environment', () => {
    // Resource types AWS gives no tags: associations, attachments, rules, routes, permissions.
    const untaggable = new Set([
      'aws:ec2/routeTableAssociation:RouteTableAssociation',
      'aws:efs/mountTarget:MountTarget',
      'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
      'aws:apigatewayv2/integration:Integration',
      'aws:apigatewayv2/route:Route',
      'aws:apigatewayv2/apiMapping:ApiMapping',
      'aws:lambda/permission:Permission',
      'aws:cloudwatch/eventTarget:EventTarget',
    ]);
    const taggable = declared.filter((d) => !untaggable.has(d.type));
    expect(taggable.length).toBeGreaterThan(20);
    for (const resource of taggable) {
      expect(resource.inputs.tags, `${resource.type} ${resource.name}`).toMatchObject({
        project: 'wikibot',
        environment: 'dev',
      });
    }
  });
});

type aws_AccessPoint = pulumi.CustomResource & { arn: pulumi.Output<string> };

import * as pulumi from '@pulumi/pulumi';
import { createStack } from './stack.js';

/**
 * wikibot on AWS (docs/deploy-aws.md): `pulumi config set …`, then `pulumi up`. Secrets with
 * `pulumi config set --secret adminToken …`.
 */
const config = new pulumi.Config();
const zones = config.getObject<string[]>('availabilityZones');
if (!zones?.length)
  throw new Error('Set availabilityZones, e.g. pulumi config set --path availabilityZones[0] eu-west-1a');
const domain = config.get('domain');
const hostedZoneId = config.get('hostedZoneId');
const baseUrl = config.get('baseUrl');
const image = config.get('image');
const adminToken = config.getSecret('adminToken');
// The platform store on Aurora unless `database` is false (then SQLite on EFS: one writer at a time).
const databasePassword =
  config.getBoolean('database') === false ? undefined : config.requireSecret('databasePassword');

const stack = createStack({
  project: pulumi.getProject(),
  environment: pulumi.getStack(),
  vpcCidr: config.get('vpcCidr') ?? '10.0.0.0/16',
  availabilityZones: zones,
  natGateway: config.getBoolean('natGateway') ?? true,
  memoryMb: config.getNumber('memoryMb') ?? 1024,
  timeoutSeconds: config.getNumber('timeoutSeconds') ?? 30,
  efsMountPath: config.get('efsMountPath') ?? '/mnt/efs',
  budgetUsd: config.getNumber('budgetUsd') ?? 50,
  budgetEmail: config.require('budgetEmail'),
  logRetentionDays: config.getNumber('logRetentionDays') ?? 30,
  embeddingModel: config.get('embeddingModel') ?? 'amazon.titan-embed-text-v2:0',
  ...(databasePassword
    ? {
        database: {
          password: databasePassword,
          engineVersion: config.get('databaseEngineVersion') ?? '16.6',
          minCapacity: config.getNumber('databaseMinCapacity') ?? 0,
          maxCapacity: config.getNumber('databaseMaxCapacity') ?? 2,
        },
      }
    : {}),
  ...(domain ? { domain } : {}),
  ...(hostedZoneId ? { hostedZoneId } : {}),
  ...(baseUrl ? { baseUrl } : {}),
  ...(image ? { image } : {}),
  ...(adminToken ? { adminToken } : {}),
});

export const url = stack.url;
export const imageRepository = stack.fn.imageUri;
export const certificateValidation = stack.certificateValidation;
export const databaseEndpoint = stack.database?.cluster.endpoint;
export const databaseSecret = stack.database?.secret.arn;

import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface DatabaseSettings {
  /** `pulumi config set --secret databasePassword …`: the master user's password. */
  password: pulumi.Input<string>;
  /** Aurora PostgreSQL version; Serverless v2 scales to 0 ACU from 13.15, 14.12, 15.7 and 16.3. */
  engineVersion: string;
  /** ACUs: 0 pauses the cluster when idle (first connection after a pause waits for it to resume). */
  minCapacity: number;
  maxCapacity: number;
}

const USER = 'wikibot';
const DATABASE = 'wikibot';

/**
 * The platform store: Aurora Serverless v2 PostgreSQL in the private subnets, reachable on 5432 from
 * the function's security group only, its credentials kept in Secrets Manager.
 */
export function createDatabase(
  name: string,
  tags: Record<string, string>,
  network: {
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<string>[];
    clientGroupId: pulumi.Input<string>;
  },
  settings: DatabaseSettings,
) {
  const group = new aws.ec2.SecurityGroup(`${name}-db-sg`, {
    vpcId: network.vpcId,
    description: 'Aurora PostgreSQL: 5432 from the wikibot function only',
    ingress: [{ protocol: 'tcp', fromPort: 5432, toPort: 5432, securityGroups: [network.clientGroupId] }],
    tags,
  });
  const subnets = new aws.rds.SubnetGroup(`${name}-db-subnets`, {
    subnetIds: network.subnetIds,
    description: 'wikibot platform store: the private subnets',
    tags,
  });
  const cluster = new aws.rds.Cluster(`${name}-db`, {
    engine: 'aurora-postgresql',
    engineMode: 'provisioned',
    engineVersion: settings.engineVersion,
    databaseName: DATABASE,
    masterUsername: USER,
    masterPassword: settings.password,
    dbSubnetGroupName: subnets.name,
    vpcSecurityGroupIds: [group.id],
    storageEncrypted: true,
    backupRetentionPeriod: 7,
    finalSnapshotIdentifier: `${name}-db-final`,
    serverlessv2ScalingConfiguration: {
      minCapacity: settings.minCapacity,
      maxCapacity: settings.maxCapacity,
      ...(settings.minCapacity === 0 ? { secondsUntilAutoPause: 600 } : {}),
    },
    tags,
  });
  const instance = new aws.rds.ClusterInstance(`${name}-db-1`, {
    clusterIdentifier: cluster.id,
    instanceClass: 'db.serverless',
    engine: 'aurora-postgresql',
    engineVersion: cluster.engineVersion,
    dbSubnetGroupName: subnets.name,
    publiclyAccessible: false,
    tags,
  });
  // The credentials in the shape RDS's own secrets use, for operators and tools (psql, rotation).
  const secret = new aws.secretsmanager.Secret(`${name}-db-secret`, {
    description: 'wikibot platform store: Aurora master credentials',
    recoveryWindowInDays: 7,
    tags,
  });
  new aws.secretsmanager.SecretVersion(`${name}-db-secret-value`, {
    secretId: secret.id,
    secretString: pulumi.jsonStringify({
      engine: 'postgres',
      username: USER,
      password: settings.password,
      host: cluster.endpoint,
      port: 5432,
      dbname: DATABASE,
    }),
  });
  // TLS inside the VPC. `no-verify`: the RDS CA is not in Node's trust store; docs/deploy-aws.md
  // says how to verify the server (the CA bundle in the image, NODE_EXTRA_CA_CERTS, verify-full).
  const url = pulumi.secret(
    pulumi.interpolate`postgres://${USER}:${pulumi
      .output(settings.password)
      .apply(encodeURIComponent)}@${cluster.endpoint}:5432/${DATABASE}?sslmode=no-verify`,
  );
  return { group, subnets, cluster, instance, secret, url };
}

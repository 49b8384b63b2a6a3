import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExternalSecret, SecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1';
import { Ajv } from 'ajv';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, PersistentVolumeClaim, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { REPO_ROOT } from '../support/podman.js';

const CHART = join(REPO_ROOT, 'deploy/helm/wikibot');
type Values = Record<string, unknown>;
const readYaml = (path: string) => parse(readFileSync(path, 'utf8')) as Values;
const defaults = readYaml(join(CHART, 'values.yaml'));
const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as object;
const validateValues = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

/** Values as helm merges them: maps deeply, everything else (lists included) replaced. */
function withOverrides(base: Values, override: Values): Values {
  const merged: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = isMap(value) && isMap(current) ? withOverrides(current, value) : value;
  }
  return merged;
}
const isMap = (value: unknown): value is Values =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function schemaErrors(values: Values): string[] {
  return validateValues(values)
    ? []
    : (validateValues.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const templates = readdirSync(join(CHART, 'templates'), { recursive: true, encoding: 'utf8' })
  .filter((file) => /\.(yaml|tpl|txt)$/.test(file))
  .map((file) => ({ file, text: readFileSync(join(CHART, 'templates', file), 'utf8') }));

describe('the Helm chart values', () => {
  it.each([
    ['values.yaml', {}],
    ['values-dev.yaml', readYaml(join(CHART, 'values-dev.yaml'))],
    ['ci/external-secrets-values.yaml', readYaml(join(CHART, 'ci/external-secrets-values.yaml'))],
  ])('%s passes values.schema.json', (_name, override) => {
    expect(schemaErrors(withOverrides(defaults, override))).toEqual([]);
  });

  it('defaults to two replicas on PostgreSQL; the dev values to one on SQLite', () => {
    expect(defaults.replicaCount).toBe(2);
    expect((defaults.postgresql as Values).enabled).toBe(true);
    const dev = withOverrides(defaults, readYaml(join(CHART, 'values-dev.yaml')));
    expect(dev.replicaCount).toBe(1);
    expect((dev.postgresql as Values).enabled).toBe(false);
  });

  it.each([
    ['a replica count that is not a number', { replicaCount: 'two' }, '/replicaCount must be integer'],
    ['a key the chart does not know', { replicas: 3 }, ' must NOT have additional properties'],
    [
      'a root-capable pod',
      { podSecurityContext: { runAsNonRoot: false } },
      '/podSecurityContext/runAsNonRoot must be equal to constant',
    ],
    [
      'privilege escalation',
      { securityContext: { allowPrivilegeEscalation: true } },
      '/securityContext/allowPrivilegeEscalation must be equal to constant',
    ],
    [
      'a database URL that is not PostgreSQL',
      { database: { url: 'mysql://db/wikibot' } },
      '/database/url must match pattern "^(|postgres(ql)?://.+)$"',
    ],
    [
      'an admin token shorter than wikibot accepts',
      { secrets: { adminToken: 'short' } },
      '/secrets/adminToken must match pattern "^(|.{16,})$"',
    ],
    [
      'a storage size Kubernetes cannot parse',
      { persistence: { size: 'ten gigs' } },
      '/persistence/size must match pattern',
    ],
  ])('refuses %s', (_what, override, message) => {
    expect(schemaErrors(withOverrides(defaults, override)).join('\n')).toContain(message);
  });

  it.each([
    ['values.yaml', defaults],
    ['values-dev.yaml', withOverrides(defaults, readYaml(join(CHART, 'values-dev.yaml')))],
  ])('the wikibot.toml in %s is a configuration wikibot accepts', async (_name, values) => {
    const dir = await mkdtemp(join(tmpdir(), 'wikibot-chart-'));
    try {
      await writeFile(join(dir, 'wikibot.toml'), values.config as string);
      expect(() => loadConfig({ file: join(dir, 'wikibot.toml'), env: {} })).not.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the Helm chart templates (checked without helm: none can be installed here)', () => {
  it('has the files `helm create` lays out, plus the ones wikibot needs', () => {
    expect(templates.map((t) => t.file).sort()).toEqual(
      [
        'NOTES.txt',
        '_helpers.tpl',
        'configmap.yaml',
        'deployment.yaml',
        'externalsecret.yaml',
        'hpa.yaml',
        'ingress.yaml',
        'networkpolicy.yaml',
        'pdb.yaml',
        'pvc.yaml',
        'secret.yaml',
        'secretstore.yaml',
        'service.yaml',
        'serviceaccount.yaml',
        'tests/test-connection.yaml',
      ].sort(),
    );
  });

  it('refers only to values that values.yaml defines', () => {
    const missing: string[] = [];
    for (const { file, text } of templates)
      for (const [, path] of text.matchAll(/\.Values\.([A-Za-z0-9_.]+)/g)) {
        const keys = (path as string).split('.');
        let node: unknown = defaults;
        for (const key of keys) node = isMap(node) && key in node ? node[key] : undefined;
        if (node === undefined) missing.push(`${file}: .Values.${path}`);
      }
    expect(missing).toEqual([]);
  });

  it('includes only templates _helpers.tpl defines', () => {
    const helpers = templates.find((t) => t.file === '_helpers.tpl')?.text ?? '';
    const defined = new Set([...helpers.matchAll(/\{\{-? define "([^"]+)"/g)].map(([, name]) => name));
    const used = templates.flatMap(({ text }) =>
      [...text.matchAll(/(?:include|template) "([^"]+)"/g)].map(([, name]) => name),
    );
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((name) => !defined.has(name))).toEqual([]);
  });

  it('closes every if, with, range and define it opens', () => {
    for (const { file, text } of templates) {
      const opened = text.match(/\{\{-?\s*(if|with|range|define)\b/g)?.length ?? 0;
      const closed = text.match(/\{\{-?\s*end\s*-?\}\}/g)?.length ?? 0;
      expect(`${file}: ${closed}`).toBe(`${file}: ${opened}`);
    }
  });
});

/** The Kubernetes model for each kind the chart renders; validate() checks an object against its schema. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  ConfigMap,
  Deployment,
  ExternalSecret,
  HorizontalPodAutoscaler,
  Ingress,
  NetworkPolicy,
  PersistentVolumeClaim,
  PodDisruptionBudget,
  Secret,
  SecretStore,
  Service,
  ServiceAccount,
};

describe('the manifests the chart renders for ci/external-secrets-values.yaml', () => {
  const documents = parseAllDocuments(
    readFileSync(join(REPO_ROOT, 'packages/wikibot/test/deploy/fixtures/helm-external-secrets.yaml'), 'utf8'),
  ).map((doc) => doc.toJS() as { kind: string; metadata: { name: string } } & Values);
  const byKind = new Map(documents.map((doc) => [doc.kind, doc]));
  const manifest = (kind: string): any => {
    const doc = byKind.get(kind);
    if (!doc) throw new Error(`no ${kind} in the rendered manifests`);
    return doc;
  };
  const values = withOverrides(defaults, readYaml(join(CHART, 'ci/external-secrets-values.yaml')));

  it.each(documents.map((doc) => [doc.kind, doc] as const))('%s is valid against its schema', (kind, doc) => {
    const Model = MODELS[kind];
    expect(Model, `no model for ${kind}`).toBeDefined();
    expect(() => new (Model as NonNullable<typeof Model>)(doc as never).validate()).not.toThrow();
  });

  it('the schemas catch a malformed object', () => {
    const deployment = structuredClone(manifest('Deployment'));
    deployment.spec.replicas = 'two';
    expect(() => new Deployment(deployment).validate()).toThrow(/replicas/);
  });

  it('runs the image CI tagged, non-root on a read-only root with a writable /tmp, probed on /health and /ready', () => {
    const pod = manifest('Deployment').spec.template.spec;
    const [container] = pod.containers;
    expect(container.image).toBe(`${(values.image as Values).repository}:${(values.image as Values).tag}`);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: {} });
    expect(container.startupProbe.httpGet.path).toBe('/health');
    expect(container.livenessProbe.httpGet.path).toBe('/health');
    expect(container.readinessProbe.httpGet.path).toBe('/ready');
    expect(container.resources.requests).toBeDefined();
    expect(pod.affinity.podAntiAffinity).toBeDefined();
    expect(container.env.map((e: { name: string }) => e.name)).toEqual(
      expect.arrayContaining(['WIKIBOT_HOST', 'WIKIBOT_PORT', 'WIKIBOT_DATABASE_URL', 'WIKIBOT_ADMIN_TOKEN']),
    );
  });

  it('shares /data over a ReadWriteMany claim and fills its Secret from the secret store', () => {
    expect(manifest('PersistentVolumeClaim').spec.accessModes).toEqual(['ReadWriteMany']);
    const external = manifest('ExternalSecret').spec;
    expect(external.secretStoreRef.name).toBe(manifest('SecretStore').metadata.name);
    expect(external.data.map((d: { secretKey: string }) => d.secretKey).sort()).toEqual([
      'admin-token',
      'database-url',
    ]);
    expect(byKind.has('Secret')).toBe(false);
  });

  it('mounts the chart values config as a wikibot.toml wikibot accepts', () => {
    expect(manifest('ConfigMap').data['wikibot.toml']).toBe(values.config);
  });
});

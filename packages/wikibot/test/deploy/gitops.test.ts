import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/podman.js';

const WORKFLOW = '.github/workflows/ci.yml';
const workflowText = readFileSync(join(REPO_ROOT, WORKFLOW), 'utf8');

/** GitHub's own workflow parser (the one behind the Actions language service): schema errors, if any. */
async function workflowErrors(content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name: WORKFLOW, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((error) => error.message);
  if (parsed.value === undefined) return errors;
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return [...errors, ...(template.errors ?? []).map((error) => error.Message)];
}

describe('the GitHub workflow', () => {
  const workflow = parse(workflowText) as {
    jobs: Record<
      string,
      {
        needs?: string | string[];
        if?: string;
        steps: { run?: string; uses?: string; with?: Record<string, unknown> }[];
      }
    >;
  };
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const runs = steps.map((step) => step.run ?? '').join('\n');

  it('passes the workflow schema', async () => {
    expect(await workflowErrors(workflowText)).toEqual([]);
  });

  it('the linter catches a misspelt key', async () => {
    const broken = workflowText.replace('runs-on: ubuntu-24.04', 'run-on: ubuntu-24.04');
    expect((await workflowErrors(broken)).join('\n')).toMatch(/run-on/);
  });

  it('needs only jobs it defines', () => {
    for (const job of Object.values(workflow.jobs))
      for (const need of [job.needs ?? []].flat()) expect(Object.keys(workflow.jobs)).toContain(need);
  });

  it('lints, typechecks and tests, then builds and pushes the image tagged with the commit SHA', () => {
    expect(runs).toMatch(/npm run lint/);
    expect(runs).toMatch(/npm run typecheck/);
    expect(runs).toMatch(/npm test/);
    const build = steps.find((step) => step.uses?.startsWith('docker/build-push-action@'));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a template literal
    expect(build?.with?.tags).toBe('${{ env.IMAGE }}:${{ steps.tag.outputs.tag }}');
    expect(runs).toMatch(/tag=\$\{GITHUB_SHA\}/);
    expect(workflowText).toMatch(/IMAGE: ghcr\.io\//);
    expect(workflow.jobs.image?.needs).toContain('test');
  });

  it('lints and renders the chart with helm and validates the rendered manifests', () => {
    expect(runs).toMatch(/helm lint "\$CHART"/);
    expect(runs).toMatch(/helm template wikibot "\$CHART"/);
    expect(runs).toMatch(/kubeconform/);
    // The rendering compared with the manifests helm-chart.test.ts validates.
    expect(runs).toContain('packages/wikibot/test/deploy/fixtures/helm-external-secrets.yaml');
    expect(runs).toContain('ci/external-secrets-values.yaml');
  });

  it('writes the new tag into the key the chart reads, commits and pushes it on main only', () => {
    const gitops = workflow.jobs.gitops;
    expect(gitops?.needs).toEqual(expect.arrayContaining(['image', 'chart']));
    expect(gitops?.if).toContain("github.ref == 'refs/heads/main'");
    const gitopsRuns = (gitops?.steps ?? []).map((step) => step.run ?? '').join('\n');
    expect(gitopsRuns).toContain(`yq -i '.image.tag = strenv(TAG)' "$CHART/values.yaml"`);
    expect(
      parse(readFileSync(join(REPO_ROOT, 'deploy/helm/wikibot/values.yaml'), 'utf8')).image,
    ).toHaveProperty('tag');
    expect(gitopsRuns).toMatch(/git commit .*\[skip ci\]/);
    expect(gitopsRuns).toMatch(/git push origin HEAD:main/);
  });
});

describe('the Argo CD Application', () => {
  const manifest = parse(readFileSync(join(REPO_ROOT, 'deploy/argocd/application.yaml'), 'utf8'));

  it('is valid against the Argo CD schema', () => {
    expect(() => new Application(manifest).validate()).not.toThrow();
  });

  it('the schema catches a malformed Application', () => {
    const broken = structuredClone(manifest);
    broken.spec.syncPolicy.automated.prune = 'yes';
    expect(() => new Application(broken).validate()).toThrow(/prune/);
  });

  it('syncs the chart automatically, pruning and self-healing', () => {
    expect(manifest.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    const chart = join(REPO_ROOT, manifest.spec.source.path);
    expect(existsSync(join(chart, 'Chart.yaml'))).toBe(true);
    for (const file of manifest.spec.source.helm.valueFiles) expect(existsSync(join(chart, file))).toBe(true);
    expect(manifest.spec.source.targetRevision).toBe('main');
  });
});

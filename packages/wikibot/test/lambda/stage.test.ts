import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpApiEvent, lambdaFetch } from '../../bench/lambdaEvents.js';
import { stagePrefix } from '../../src/http/apiGateway.js';
import { handler } from '../../src/lambda.js';
import { removeDir } from '../support/server.js';
import { functionEnv, prepareSharedDirectory } from './support.js';

/** A named stage on API Gateway's own endpoint: paths arrive with `/<stage>` in front. */

const HOST = 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com';
const ADMIN = 'lambda-stage-admin-token-0123456789';
let dataDir: string;
let viaStage: typeof fetch;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wikibot-lambda-stage-'));
  const env = functionEnv(join(dataDir, 'efs'), {
    WIKIBOT_INDEX_DIR: join(dataDir, 'tmp'),
    WIKIBOT_BASE_URL: `https://${HOST}/prod`,
    WIKIBOT_ADMIN_TOKEN: ADMIN,
  });
  await prepareSharedDirectory(env, async (setup) => {
    await setup.registry.create('main', { title: 'Main' });
  });
  Object.assign(process.env, env);
  viaStage = lambdaFetch(handler, `https://${HOST}`, { stage: 'prod', domainName: HOST });
});
afterAll(async () => {
  await removeDir(dataDir);
});

describe('a named stage', () => {
  it('is taken off the path before routing: the REST API answers under /prod', async () => {
    const reply = await viaStage(`https://${HOST}/w/main/api/v1/pages/Home`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(reply.status).toBe(200);
    expect((await reply.json()).content).toContain('# Main');
  });

  it('is put back in front of the app’s redirects', async () => {
    const reply = await viaStage(`https://${HOST}/w/main/Home`, { redirect: 'manual' });
    expect(reply.status).toBe(303);
    expect(reply.headers.get('location')).toMatch(/^\/prod\/-\/login\?next=/);
  });

  it('is left alone on a custom domain, whose API mapping already removed it', async () => {
    const request = new Request('https://wiki.example.test/prod/Page');
    const event = await httpApiEvent(request, { stage: 'prod', domainName: 'wiki.example.test' });
    expect(stagePrefix(event)).toBe('');
    const onEndpoint = await httpApiEvent(new Request(`https://${HOST}/Page`), {
      stage: 'prod',
      domainName: HOST,
    });
    expect(stagePrefix(onEndpoint)).toBe('/prod');
  });
});

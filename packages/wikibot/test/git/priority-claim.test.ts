import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PriorityClaim } from '../../src/git/priority-claim.js';
import { tempRepos } from './helpers.js';

const repos = tempRepos();

async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('PriorityClaim (fairness between writer processes)', () => {
  it('one writer at a time holds priority; the others wait for it to be released', async () => {
    const path = join(await repos.dir(), 'claim');
    const starving = new PriorityClaim(path, 60_000);
    const other = new PriorityClaim(path, 60_000);
    expect(starving.claim()).toBe(true);
    expect(other.claim()).toBe(false);

    let proceeded = false;
    const waiting = other.yieldToOthers().then(() => {
      proceeded = true;
    });
    await turns(20);
    expect(proceeded).toBe(false);
    await starving.yieldToOthers(); // the holder itself never waits
    starving.release();
    await waiting;
    expect(proceeded).toBe(true);
    expect(other.claim()).toBe(true);
    other.release();
  });

  it('a claim left behind by a crashed writer expires: it is neither waited for nor kept', async () => {
    const path = join(await repos.dir(), 'claim');
    const crashed = new PriorityClaim(path, 1000);
    expect(crashed.claim()).toBe(true);
    const longAgo = new Date(Date.now() - 10_000);
    utimesSync(path, longAgo, longAgo);

    const survivor = new PriorityClaim(path, 1000);
    await survivor.yieldToOthers();
    expect(survivor.claim()).toBe(true);
    survivor.release();
  });
});

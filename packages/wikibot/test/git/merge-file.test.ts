import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitRepository } from '../../src/git/repository.js';

const LABELS = { mine: 'mine', base: 'base', theirs: 'theirs' };

describe('three-way text merge (git merge-file)', () => {
  let dir: string;
  let repo: GitRepository;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wikibot-merge-test-'));
    repo = await GitRepository.init(join(dir, 'repo.git'));
  });
  afterAll(async () => {
    await repo.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('merges changes to different lines', async () => {
    const merged = await repo.mergeText(
      { base: 'a\nb\nc\n', theirs: 'A\nb\nc\n', mine: 'a\nb\nC\n' },
      LABELS,
    );
    expect(merged).toEqual({ text: 'A\nb\nC\n', conflicts: 0 });
  });

  it('marks overlapping changes with both sides and counts them', async () => {
    const middle = 'm\n'.repeat(10);
    const merged = await repo.mergeText(
      { base: `a\n${middle}e\n`, theirs: `X\n${middle}Y\n`, mine: `1\n${middle}2\n` },
      LABELS,
    );
    expect(merged.conflicts).toBe(2);
    expect(merged.text.startsWith('<<<<<<< mine\n1\n=======\nX\n>>>>>>> theirs\n')).toBe(true);
  });

  it('treats text starting with a dash as content, never as an option', async () => {
    const merged = await repo.mergeText(
      { base: '--help\n', theirs: '--help\n', mine: '--version\n' },
      LABELS,
    );
    expect(merged).toEqual({ text: '--version\n', conflicts: 0 });
  });
});

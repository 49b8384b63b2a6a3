import { describe, expect, it } from 'vitest';
import { ByteQueue } from '../../src/git/byte-queue.js';
import { LOG_FORMAT, LogParser } from '../../src/git/log-parser.js';
import { readBatchAnswer } from '../../src/git/object-reader.js';
import { ada, commitFiles, gitCli, tempRepos } from './helpers.js';

const repos = tempRepos();

describe('git output arriving in arbitrary pieces', () => {
  it('LogParser gives the same commits whether log output comes whole or byte by byte', async () => {
    const repo = await repos.init();
    await commitFiles(repo, { 'a.md': 'a', 'b c/ü.md': 'u' }, '/looks like a record start\n\nbody');
    await repo.commit(() => ({ message: 'no files changed', author: ada, changes: [] }));
    await commitFiles(repo, { 'a.md': null, 'new.md': 'n' }, 'last');
    const output = await gitCli(repo.dir, ['log', '-z', LOG_FORMAT, '--name-only', '--no-renames', 'main']);

    const whole = new LogParser();
    whole.push(output);
    const bytewise = new LogParser();
    for (let i = 0; i < output.length; i++) bytewise.push(output.subarray(i, i + 1));

    const commits = whole.end();
    expect(bytewise.end()).toEqual(commits);
    expect(commits.map((c) => [c.message, c.files])).toEqual([
      ['last', ['a.md', 'new.md']],
      ['no files changed', []],
      ['/looks like a record start\n\nbody', ['a.md', 'b c/ü.md']],
    ]);
    expect(await repo.log({ withFiles: true })).toEqual(commits);
  });

  it('LogParser rejects output that is cut off mid-record', () => {
    const parser = new LogParser();
    parser.push(Buffer.from(`/${'a'.repeat(40)}\0Ada\0`));
    expect(() => parser.end()).toThrow(/ended mid-record/);
  });

  it('readBatchAnswer waits for a whole cat-file answer, then takes exactly that answer', () => {
    const sha = 'b'.repeat(40);
    const content = Buffer.from('line 1\nline 2\n\0binary\n');
    const stream = Buffer.concat([
      Buffer.from(`${sha} blob ${content.length}\n`),
      content,
      Buffer.from(`\n${'c'.repeat(40)} missing\n`),
    ]);
    const queue = new ByteQueue();
    const answers: unknown[] = [];
    for (let i = 0; i < stream.length; i++) {
      queue.push(stream.subarray(i, i + 1));
      const answer = readBatchAnswer(queue);
      if (answer !== undefined) answers.push(answer);
    }
    expect(answers).toEqual([{ sha, type: 'blob', content }, null]);
    expect(queue.length).toBe(0);
  });

  it('readBatchAnswer refuses output it does not understand', () => {
    const queue = new ByteQueue();
    queue.push(Buffer.from('fatal: something odd\n'));
    expect(() => readBatchAnswer(queue)).toThrow(/unexpected git cat-file output/);
  });
});

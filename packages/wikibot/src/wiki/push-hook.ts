import { text } from 'node:stream/consumers';
import { changedFiles, isAncestor, parseRefUpdates, type RefUpdate, treeFiles } from '../git/pre-receive.js';
import { caseClashes, type PushRules, pushedFileProblem } from './push-rules.js';

/** Problems listed per push before the rest are summarised, so a huge bad push gets a readable answer. */
const MAX_LISTED = 20;

/**
 * The pre-receive hook of every push (run by receive-pack, see git/smart-http.ts): it reads the ref
 * updates on stdin and refuses the whole push, with one line per problem on stderr (git prints them
 * as `remote:` lines), unless each update moves only the wiki's branch, fast-forward, to a tree whose
 * added and changed files follow the wiki's rules.
 */
export async function runPreReceive(rules: PushRules): Promise<void> {
  const updates = parseRefUpdates(await text(process.stdin));
  const problems: string[] = [];
  for (const update of updates) problems.push(...(await updateProblems(update, rules)));
  if (problems.length === 0) return;
  const listed = problems.slice(0, MAX_LISTED);
  if (problems.length > listed.length) listed.push(`… and ${problems.length - listed.length} more`);
  process.stderr.write(`wikibot refused this push:\n${listed.map((line) => `  ${line}\n`).join('')}`);
  process.exitCode = 1;
}

async function updateProblems(update: RefUpdate, rules: PushRules): Promise<string[]> {
  const branch = `refs/heads/${rules.branch}`;
  if (update.ref !== branch) return [`${update.ref}: only the ${rules.branch} branch can be pushed`];
  if (update.newId === null) return [`${update.ref}: the ${rules.branch} branch cannot be deleted`];
  if (update.oldId !== null && !(await isAncestor(update.oldId, update.newId)))
    return [`${update.ref}: not a fast-forward; pull (fetch and rebase or merge) first`];
  const files = await changedFiles(update.oldId, update.newId);
  const problems = files.flatMap((file) => pushedFileProblem(file, rules) ?? []);
  if (problems.length > 0 || files.length === 0) return problems;
  return caseClashes(
    files.map((file) => file.path),
    await treeFiles(update.newId),
  );
}

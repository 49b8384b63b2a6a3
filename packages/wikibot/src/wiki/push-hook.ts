import { join, resolve } from 'node:path';
import { text } from 'node:stream/consumers';
import { pagePathOfFile } from '../domain/pagePath.js';
import {
  changedFiles,
  isAncestor,
  parseRefUpdates,
  type RefUpdate,
  treeFileSizes,
  treeFiles,
} from '../git/pre-receive.js';
import { objectStoreBytes } from '../git/storeSize.js';
import { hasLimits, limitProblems, type WikiLimits } from './limits.js';
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
  const clashes = caseClashes(
    files.map((file) => file.path),
    await treeFiles(update.newId),
  );
  if (clashes.length > 0 || !rules.limits || !hasLimits(rules.limits)) return clashes;
  return pushLimitProblems(update.oldId, update.newId, rules.limits);
}

/**
 * The wiki's limits, as the API writers check them: the trees before and after the push are counted,
 * and the repository's growth is what the push brought, measured in git's quarantine.
 */
async function pushLimitProblems(oldId: string | null, newId: string, limits: WikiLimits): Promise<string[]> {
  const before = treeTotals(oldId === null ? [] : await treeFileSizes(oldId));
  const after = treeTotals(await treeFileSizes(newId));
  // receive-pack runs the hook in the bare repository, with the pushed objects in a quarantine below it.
  const objects = join(resolve(process.env.GIT_DIR ?? '.'), 'objects');
  const quarantine = process.env.GIT_QUARANTINE_PATH;
  const usage = { ...before, repoBytes: await objectStoreBytes(objects) };
  return limitProblems(
    usage,
    {
      pages: after.pages - before.pages,
      attachments: after.attachments - before.attachments,
      attachmentBytes: after.attachmentBytes - before.attachmentBytes,
      contentBytes: after.bytes - before.bytes,
      addedBytes: quarantine ? await objectStoreBytes(quarantine) : 0,
    },
    limits,
  );
}

function treeTotals(files: { path: string; size: number }[]) {
  const totals = { pages: 0, attachments: 0, attachmentBytes: 0, bytes: 0 };
  for (const { path, size } of files) {
    if (pagePathOfFile(path) === null) {
      totals.attachments++;
      totals.attachmentBytes += size;
    } else totals.pages++;
    totals.bytes += size;
  }
  return totals;
}

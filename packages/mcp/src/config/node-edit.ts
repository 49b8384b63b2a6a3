import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { parse, stringify } from 'smol-toml';
import { writeFileAtomic } from '../common/atomic-write.js';
import { type NodeEntry, readNodes } from './cli.js';
import { ConfigError } from './reader.js';

type Doc = Record<string, unknown>;

const NODES_HEADER = /^\s*\[\[\s*nodes\s*\]\]\s*(#.*)?$/;
const ANY_HEADER = /^\s*\[/;

/** Plain objects for comparison (smol-toml's tables have no prototype). */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

function parseDoc(text: string, path: string): Doc {
  try {
    return parse(text) as Doc;
  } catch (error) {
    throw new ConfigError(`${path}: invalid TOML: ${(error as Error).message}`);
  }
}

function nodesOf(doc: Doc, path: string): NodeEntry[] {
  const problems: string[] = [];
  const nodes = readNodes(doc.nodes, (message) => problems.push(message));
  if (problems.length > 0) throw new ConfigError(`${path}: ${problems.join('; ')}`);
  return nodes;
}

/**
 * Writes the config with `nodes` replaced. The text edit keeps comments and layout; it is used only
 * if it parses to exactly the intended document, otherwise the whole file is re-serialized.
 */
async function save(path: string, doc: Doc, edited: string, nodes: NodeEntry[]): Promise<void> {
  const intended: Doc = { ...doc };
  if (nodes.length > 0) intended.nodes = nodes.map((node) => ({ ...node }));
  else delete intended.nodes;
  let text = edited;
  try {
    if (!isDeepStrictEqual(plain(parse(edited)), plain(intended))) text = stringify(intended);
  } catch {
    text = stringify(intended);
  }
  await writeFileAtomic(path, text.endsWith('\n') ? text : `${text}\n`, 0o600);
}

function nodeBlock(node: NodeEntry): string {
  return `[[nodes]]\n${stringify({ name: node.name, address: node.address })}\n`;
}

/** `mcp node add`: appends a `[[nodes]]` table. */
export async function addNode(path: string, node: NodeEntry): Promise<void> {
  const text = await readFile(path, 'utf8');
  const doc = parseDoc(text, path);
  const nodes = nodesOf(doc, path);
  if (nodes.some((entry) => entry.name === node.name))
    throw new ConfigError(`node "${node.name}" already exists`);
  const updated = [...nodes, node];
  const problems: string[] = [];
  readNodes(updated, (message) => problems.push(message));
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  const base = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  await save(path, doc, `${base}\n${nodeBlock(node)}`, updated);
}

/** `mcp node remove`: drops the `[[nodes]]` table of that name. */
export async function removeNode(path: string, name: string): Promise<void> {
  const text = await readFile(path, 'utf8');
  const doc = parseDoc(text, path);
  const nodes = nodesOf(doc, path);
  if (!nodes.some((entry) => entry.name === name)) throw new ConfigError(`no node named "${name}"`);
  const lines = text.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; ) {
    const line = lines[i] ?? '';
    if (!NODES_HEADER.test(line)) {
      kept.push(line);
      i++;
      continue;
    }
    let end = i + 1;
    while (end < lines.length && !ANY_HEADER.test(lines[end] ?? '')) end++;
    const block = lines.slice(i, end);
    let blockName: unknown;
    try {
      blockName = (parse(block.slice(1).join('\n')) as Doc).name;
    } catch {
      blockName = undefined;
    }
    if (blockName !== name) kept.push(...block);
    i = end;
  }
  await save(
    path,
    doc,
    kept.join('\n').replace(/\n{3,}/g, '\n\n'),
    nodes.filter((entry) => entry.name !== name),
  );
}

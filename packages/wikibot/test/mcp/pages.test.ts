import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startTestServer, type TestServer } from '../support/server.js';
import { call, connect, ERAS, failure } from './support.js';

let server: TestServer;
let writer: string;
const WRITER_NAME = 'test wiki:read wiki:write';

beforeAll(async () => {
  server = await startTestServer();
  writer = await server.token(['wiki:read', 'wiki:write']);
});
afterAll(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

const short = (revision: unknown) => String(revision).slice(0, 8);

describe.each(ERAS)('page tools over the %s era', (era) => {
  const P = era === 'modern' ? 'Modern' : 'Legacy';
  let client: Client;
  beforeAll(async () => {
    client = await connect(server, era, writer);
  });
  afterAll(async () => {
    await client.close();
  });

  describe('read_note', () => {
    it("answers otterwiki-mcp's format: header, one frontmatter line, links, then the content", async () => {
      const path = `${P}/Trends/Strategy`;
      const content =
        '---\ntitle: Iran Attrition Strategy\ncategory: trend\ntags: [military, p2-interceptor-race]\nconfidence: high\nlast_updated: 2026-03-08\n---\n# Iran Attrition Strategy\n\nSee [[Actors/Iran]].\n';
      const written = await call(client, 'write_note', { path, content });
      await call(client, 'write_note', { path: `${P}/Index`, content: `Start at [[${path}]].` });

      const { text, structured } = await call(client, 'read_note', { path });
      expect(text).toBe(
        [
          '# Iran Attrition Strategy',
          `Path: ${path}`,
          `Revision: ${written.structured.revision}`,
          'Category: trend | Tags: military, p2-interceptor-race | Confidence: high | Last Updated: 2026-03-08',
          'Links to: Actors/Iran',
          `Linked from: ${P}/Index`,
          '',
          '---',
          content,
        ].join('\n'),
      );
      expect(structured).toMatchObject({
        name: 'Iran Attrition Strategy',
        path,
        revision: written.structured.revision,
        content,
        frontmatter: { category: 'trend', tags: ['military', 'p2-interceptor-race'] },
        links_to: ['Actors/Iran'],
        linked_from: [`${P}/Index`],
        last_commit: {
          revision: written.structured.revision,
          author: WRITER_NAME,
          message: `[mcp] Create: ${path}`,
        },
      });
    });

    it('finds a page case-insensitively and reads an old revision', async () => {
      const path = `${P}/Versions`;
      const first = await call(client, 'write_note', { path, content: 'first words' });
      await call(client, 'write_note', {
        path,
        content: 'second words',
        revision: first.structured.revision,
      });
      expect((await call(client, 'read_note', { path: path.toLowerCase() })).structured.content).toBe(
        'second words',
      );
      const old = await call(client, 'read_note', { path, revision: first.structured.revision });
      expect(old.structured.content).toBe('first words');
      expect(old.text).toContain(`Revision: ${first.structured.revision}`);
    });

    it('fails with the not-found text, the bad-path text and the bad-revision text', async () => {
      expect(await failure(client, 'read_note', { path: `${P}/Missing` })).toBe(
        `Page not found: ${P}/Missing. Use write_note to create it, or list_notes to see available pages.`,
      );
      expect(await failure(client, 'read_note', { path: '../etc/passwd' })).toMatch(/^Invalid request: /);
      expect(await failure(client, 'read_note', { path: `${P}/Versions`, revision: 'abc' })).toBe(
        'Invalid request: revision must be at least 7 characters',
      );
    });
  });

  describe('read_note sections', () => {
    const path = `${P}/Sections`;
    const content = [
      '# Guide',
      'intro',
      '## Install',
      '### Linux',
      'linux text',
      '### macOS',
      'mac text',
      '## Usage',
      '### Linux',
      'usage linux',
      '```',
      '# not a heading',
      '```',
      '',
    ].join('\n');
    beforeAll(async () => {
      await call(client, 'write_note', { path, content });
    });

    it('matches the full heading path, case-insensitively, and says which section it returns', async () => {
      const { text, structured } = await call(client, 'read_note', {
        path,
        section: 'guide > install > MACOS',
      });
      expect(structured.content).toBe('### macOS\nmac text\n');
      expect(structured.section).toBe('Guide > Install > macOS');
      expect(text).toContain('Section: Guide > Install > macOS\n');
      expect(text.endsWith('---\n### macOS\nmac text\n')).toBe(true);
    });

    it('puts the section after the revision, then the frontmatter line, and leaves the links out', async () => {
      const page = `${P}/Sectioned`;
      const written = await call(client, 'write_note', {
        path: page,
        content:
          '---\ntitle: Sectioned\nsource_type: report\nstatus: draft\n---\n# Top\nSee [[Actors/Iran]].\n## Part\npart text\n',
      });
      const { text } = await call(client, 'read_note', { path: page, section: 'Part' });
      expect(text).toBe(
        [
          '# Sectioned',
          `Path: ${page}`,
          `Revision: ${written.structured.revision}`,
          'Section: Top > Part',
          'Source Type: report | Status: draft',
          '',
          '---',
          '## Part\npart text\n',
        ].join('\n'),
      );
      expect((await call(client, 'read_note', { path: page })).text).toContain('Links to: Actors/Iran\n');
    });

    it('matches a path suffix and a bare title', async () => {
      expect((await call(client, 'read_note', { path, section: 'Install > Linux' })).structured.content).toBe(
        '### Linux\nlinux text\n',
      );
      expect((await call(client, 'read_note', { path, section: 'Usage' })).structured.content).toBe(
        '## Usage\n### Linux\nusage linux\n```\n# not a heading\n```\n',
      );
    });

    it('lists the candidates of an ambiguous section', async () => {
      expect(await failure(client, 'read_note', { path, section: 'Linux' })).toBe(
        "Section not found: 'Linux'. Available sections:\n  - Guide > Install > Linux\n  - Guide > Usage > Linux",
      );
    });

    it('lists the available sections (headings in code excluded) when none matches', async () => {
      expect(await failure(client, 'read_note', { path, section: 'Windows' })).toBe(
        [
          "Section not found: 'Windows'. Available sections:",
          '  - Guide',
          '  - Guide > Install',
          '  - Guide > Install > Linux',
          '  - Guide > Install > macOS',
          '  - Guide > Usage',
          '  - Guide > Usage > Linux',
        ].join('\n'),
      );
    });

    it('says when a page has no sections', async () => {
      await call(client, 'write_note', { path: `${P}/Flat`, content: 'no headings here' });
      expect(await failure(client, 'read_note', { path: `${P}/Flat`, section: 'Intro' })).toBe(
        "Section not found: 'Intro'. This page has no sections.",
      );
    });
  });

  describe('write_note', () => {
    it('creates, then updates with the revision read, committing as the caller with [mcp] messages', async () => {
      const path = `${P}/Written`;
      const created = await call(client, 'write_note', { path, content: '# One' });
      expect(created.text).toBe(`Created ${path} (revision: ${short(created.structured.revision)})`);
      expect(created.structured).toMatchObject({ path, created: true });
      const updated = await call(client, 'write_note', {
        path,
        content: '# Two',
        revision: created.structured.revision,
        commit_message: 'Second draft',
      });
      expect(updated.text).toBe(`Updated ${path} (revision: ${short(updated.structured.revision)})`);
      const history = await call(client, 'get_history', { path });
      expect(history.structured.history).toMatchObject([
        { author: WRITER_NAME, message: '[mcp] Second draft' },
        { author: WRITER_NAME, message: `[mcp] Create: ${path}` },
      ]);
    });

    it('refuses an update without the revision, or with a stale one, as a conflict', async () => {
      const path = `${P}/Contended`;
      const first = await call(client, 'write_note', { path, content: 'v1' });
      await call(client, 'write_note', { path, content: 'v2', revision: first.structured.revision });
      expect(await failure(client, 'write_note', { path, content: 'v3' })).toBe(
        'Conflict: Revision required when updating an existing page. Read the page first to get the current revision. Read the page again to get the current revision, then retry.',
      );
      expect(
        await failure(client, 'write_note', { path, content: 'v3', revision: first.structured.revision }),
      ).toBe(
        'Conflict: Revision mismatch: page has been modified since last read. Read the page again to get the current revision, then retry.',
      );
      expect((await call(client, 'read_note', { path })).structured.content).toBe('v2');
    });

    it('refuses content over 1 MB and a bad path', async () => {
      const content = 'x'.repeat(1_000_001);
      expect(await failure(client, 'write_note', { path: `${P}/Huge`, content })).toBe(
        'Content too large (1000001 bytes). Maximum size is 1000000 bytes.',
      );
      expect(await failure(client, 'write_note', { path: 'api/Reserved', content: 'x' })).toMatch(
        /^Invalid request: /,
      );
      expect(await failure(client, 'read_note', { path: `${P}/Huge` })).toMatch(/^Page not found/);
    });
  });

  describe('edit_note', () => {
    const path = `${P}/Edited`;
    let revision: string;
    beforeAll(async () => {
      revision = String(
        (await call(client, 'write_note', { path, content: 'alpha beta beta gamma' })).structured.revision,
      );
    });

    it('replaces the one occurrence', async () => {
      const edited = await call(client, 'edit_note', {
        path,
        revision: revision.slice(0, 7),
        old_string: 'alpha',
        new_string: 'omega',
        commit_message: 'Rename alpha',
      });
      expect(edited.text).toBe(`Edited ${path} (revision: ${short(edited.structured.revision)})`);
      expect((await call(client, 'read_note', { path })).structured.content).toBe('omega beta beta gamma');
      revision = String(edited.structured.revision);
    });

    it('refuses an ambiguous or missing old_string, a stale revision and a missing page', async () => {
      expect(
        await failure(client, 'edit_note', { path, revision, old_string: 'beta', new_string: 'b' }),
      ).toBe(
        'Invalid request: old_string is ambiguous: found 2 occurrences. Provide a longer unique string.',
      );
      expect(
        await failure(client, 'edit_note', { path, revision, old_string: 'delta', new_string: 'd' }),
      ).toBe('Invalid request: old_string not found in page content');
      expect(
        await failure(client, 'edit_note', {
          path,
          revision: '0000000',
          old_string: 'gamma',
          new_string: 'g',
        }),
      ).toBe(
        'Conflict: Revision mismatch: page has been modified since last read. Read the page again to get the current revision, then retry.',
      );
      expect(
        await failure(client, 'edit_note', { path: `${P}/Nope`, revision, old_string: 'a', new_string: 'b' }),
      ).toBe(`Page not found: ${P}/Nope. Use write_note to create it, or list_notes to see available pages.`);
    });
  });

  describe('list_notes', () => {
    beforeAll(async () => {
      await call(client, 'write_note', {
        path: `${P}/List/Iran`,
        content: '---\ncategory: actor\ntags: [military]\n---\nthree words here',
      });
      await call(client, 'write_note', { path: `${P}/List/Plain`, content: 'just two' });
    });

    it('lists with AND-combined filters in its format', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const all = await call(client, 'list_notes', { prefix: `${P}/List/` });
      expect(all.text).toBe(
        [
          `Found 2 notes matching prefix=${P}/List/:`,
          '',
          `- ${P}/List/Iran (category: actor, tags: military, last updated: ${today}, 3 words)`,
          `- ${P}/List/Plain (last updated: ${today}, 2 words)`,
        ].join('\n'),
      );
      const actors = await call(client, 'list_notes', {
        prefix: `${P}/List/`,
        category: 'ACTOR',
        tag: 'military',
        updated_since: '2020-01-01',
      });
      expect(actors.text.split('\n')[0]).toBe(
        `Found 1 notes matching prefix=${P}/List/, category=ACTOR, tag=military, updated since 2020-01-01:`,
      );
      expect(actors.structured).toMatchObject({
        total: 1,
        pages: [{ path: `${P}/List/Iran`, category: 'actor', tags: ['military'] }],
      });
      expect((await call(client, 'list_notes', { tag: 'nothing' })).text).toBe(
        'Found 0 notes matching tag=nothing:',
      );
      expect((await call(client, 'list_notes')).text).toMatch(/^Found \d+ notes:\n\n- /);
    });

    it('refuses a date that is not ISO 8601', async () => {
      expect(await failure(client, 'list_notes', { updated_since: 'last week' })).toBe(
        'Invalid request: Invalid updated_since format. Use ISO 8601.',
      );
    });
  });

  describe('get_history', () => {
    it('lists revisions newest first, clamping limit to 1..200', async () => {
      const path = `${P}/Historic`;
      const one = await call(client, 'write_note', { path, content: '1' });
      const two = await call(client, 'write_note', { path, content: '2', revision: one.structured.revision });
      const { text } = await call(client, 'get_history', { path });
      const lines = text.split('\n');
      expect(lines[0]).toBe(`History for ${path} (2 revisions):`);
      expect(lines[2]).toMatch(
        new RegExp(`^- ${short(two.structured.revision)} \\| \\d{4}-\\d{2}-\\d{2}T[^|]+ \\| ${WRITER_NAME}$`),
      );
      expect(lines[3]).toBe(`  [mcp] Update: ${path}`);
      expect((await call(client, 'get_history', { path, limit: 0 })).structured.history).toHaveLength(1);
      expect((await call(client, 'get_history', { path, limit: 100000 })).structured.history).toHaveLength(2);
      expect(await failure(client, 'get_history', { path: `${P}/Nope` })).toMatch(/^Page not found: /);
    });
  });

  describe('rename_note', () => {
    it('renames and rewrites backreferences in one commit', async () => {
      await call(client, 'write_note', { path: `${P}/Old Name`, content: 'me' });
      await call(client, 'write_note', { path: `${P}/Linker`, content: `see [[${P}/Old Name]]` });
      const renamed = await call(client, 'rename_note', { path: `${P}/Old Name`, new_path: `${P}/New Name` });
      expect(renamed.text).toBe(
        `Renamed ${P}/Old Name -> ${P}/New Name (revision: ${short(renamed.structured.revision)})\nUpdated 1 backreferences:\n  - ${P}/Linker`,
      );
      expect((await call(client, 'read_note', { path: `${P}/Linker` })).structured.content).toBe(
        `see [[${P}/New Name]]`,
      );
      const lonely = await call(client, 'rename_note', {
        path: `${P}/Linker`,
        new_path: `${P}/Linker 2`,
        commit_message: 'Tidy',
      });
      expect(lonely.text.split('\n')[1]).toBe('No backreferences needed updating.');
    });

    it('refuses an occupied target, a missing page and a bad path', async () => {
      await call(client, 'write_note', { path: `${P}/Taken A`, content: 'a' });
      await call(client, 'write_note', { path: `${P}/Taken B`, content: 'b' });
      expect(await failure(client, 'rename_note', { path: `${P}/Taken A`, new_path: `${P}/Taken B` })).toBe(
        `Conflict: A page already exists at: ${P}/Taken B Read the page again to get the current revision, then retry.`,
      );
      expect(await failure(client, 'rename_note', { path: `${P}/Ghost`, new_path: `${P}/Ghost 2` })).toMatch(
        /^Page not found: /,
      );
      expect(await failure(client, 'rename_note', { path: `${P}/Taken A`, new_path: '/abs' })).toMatch(
        /^Invalid request: /,
      );
    });
  });

  describe('delete_note', () => {
    it('deletes, and says so; a missing page is not found', async () => {
      const path = `${P}/Doomed`;
      await call(client, 'write_note', { path, content: 'bye' });
      const deleted = await call(client, 'delete_note', { path, commit_message: 'Cleanup' });
      expect(deleted.text).toBe(`Deleted ${path}`);
      expect(deleted.structured).toMatchObject({ deleted: true, path });
      expect(await failure(client, 'read_note', { path })).toMatch(/^Page not found: /);
      expect(await failure(client, 'delete_note', { path })).toBe(
        `Page not found: ${path}. Use write_note to create it, or list_notes to see available pages.`,
      );
      const changes = await call(client, 'get_recent_changes', { limit: 5 });
      expect(changes.structured.entries).toContainEqual(
        expect.objectContaining({ message: '[mcp] Cleanup', pages_affected: [path] }),
      );
    });
  });
});

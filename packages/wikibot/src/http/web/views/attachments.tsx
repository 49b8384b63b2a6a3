import type { FC } from 'hono/jsx';
import type { AttachmentInfo } from '../../../wiki/types.js';
import type { Chrome } from '../chrome.js';
import { formatBytes, shortDate } from '../present.js';
import { attachmentUrl, uploadUrl } from '../urls.js';
import { CsrfField, PostButton } from './forms.js';
import { Layout } from './layout.js';
import { Breadcrumbs } from './page.js';

/** A page's attachments: list, download, delete, and an upload form (multipart, works without JS). */
export const AttachmentsPage: FC<{
  chrome: Chrome;
  path: string;
  attachments: AttachmentInfo[];
  problem: string | null;
}> = ({ chrome, path, attachments, problem }) => {
  const slug = chrome.wiki?.slug ?? '';
  const write = chrome.wiki?.can.write ?? false;
  return (
    <Layout chrome={chrome} title={`Attachments of ${path}`}>
      <div class="content-width">
        <Breadcrumbs slug={slug} path={path} />
        <h1 class="page-title">Attachments of {path}</h1>
        {problem && (
          <p class="flash error" role="alert">
            {problem}
          </p>
        )}
        {attachments.length === 0 ? (
          <p class="muted">No attachments yet.</p>
        ) : (
          <table class="list">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Size</th>
                <th scope="col">Type</th>
                <th scope="col">Changed</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {attachments.map((file) => (
                <tr>
                  <td>
                    <a href={attachmentUrl(slug, path, file.filename)}>{file.filename}</a>
                  </td>
                  <td>{formatBytes(file.size)}</td>
                  <td>{file.mimeType}</td>
                  <td>
                    {file.lastModified ? (
                      <time datetime={file.lastModified}>{shortDate(file.lastModified)}</time>
                    ) : (
                      ''
                    )}
                  </td>
                  <td>
                    <a href={`${attachmentUrl(slug, path, file.filename)}?download`}>Download</a>
                    {write && (
                      <>
                        {' '}
                        <PostButton
                          action={uploadUrl(slug, path)}
                          csrf={chrome.csrf}
                          label="Delete"
                          className="danger"
                          fields={{ delete: file.filename }}
                        />
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {write && (
          <section class="panel" aria-labelledby="upload-title">
            <h2 id="upload-title">Upload</h2>
            <form method="post" action={uploadUrl(slug, path)} enctype="multipart/form-data">
              <CsrfField token={chrome.csrf} />
              <div class="field">
                <label for="upload-file">Files</label>
                <input type="file" id="upload-file" name="file" multiple required />
              </div>
              <div class="field">
                <label for="commit-message">Commit message</label>
                <input type="text" id="commit-message" name="message" placeholder="Attach files" />
              </div>
              <button type="submit" class="primary">
                Upload
              </button>
            </form>
            <p class="muted">Tip: paste or drop images straight into the editor to attach and link them.</p>
          </section>
        )}
      </div>
    </Layout>
  );
};

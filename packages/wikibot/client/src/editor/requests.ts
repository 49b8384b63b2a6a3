/** The form's CSRF token, sent with every request the editor makes on its own. */
export function csrfToken(form: HTMLFormElement): string {
  return form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '';
}

async function post(url: string, form: HTMLFormElement, body: FormData, accept: string): Promise<Response> {
  body.set('_csrf', csrfToken(form));
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { accept },
    credentials: 'same-origin',
  });
  if (!response.ok) {
    const text = await response.text();
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {
      message = text
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 200);
    }
    throw new Error(message || `${response.status} ${response.statusText}`);
  }
  return response;
}

/** The server's sanitized HTML for `content` (the same renderer as the page view). */
export async function fetchPreview(url: string, form: HTMLFormElement, content: string): Promise<string> {
  const body = new FormData();
  body.set('content', content);
  return (await post(url, form, body, 'text/html')).text();
}

export interface Uploaded {
  filename: string;
  url: string;
}

/** Attach a file to the page; resolves with its stored name. */
export async function uploadFile(
  url: string,
  form: HTMLFormElement,
  file: File,
  name: string,
): Promise<Uploaded> {
  const body = new FormData();
  body.set('file', file, name);
  return (await post(url, form, body, 'application/json')).json() as Promise<Uploaded>;
}

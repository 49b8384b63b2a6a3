import { base64, encodeComponent, jsonBody, jsonValue, pagePath, text, wirePath } from './inputs.js';
import type { Random } from './random.js';

export interface FuzzRequest {
  door: 'rest' | 'mcp' | 'web' | 'oauth' | 'any';
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Credentials {
  read: string;
  write: string;
  admin: string;
  /** A signed-in editor's browser session. */
  cookie: string;
  csrf: string;
}

const MCP_TOOLS = [
  'read_note',
  'write_note',
  'edit_note',
  'list_notes',
  'get_history',
  'rename_note',
  'delete_note',
  'list_attachments',
  'upload_attachment',
  'download_attachment',
  'delete_attachment',
  'search_notes',
  'semantic_search',
  'get_links',
  'get_recent_changes',
  'find_orphaned_notes',
  'no_such_tool',
];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=',
  'multipart/form-data; boundary=fuzz',
  'multipart/form-data',
  'application/octet-stream',
  'application/json; charset=utf-16',
  '*/*',
  ';;;',
  'x',
];

/** One random request to one of the server's doors. */
export function fuzzRequest(random: Random, creds: Credentials): FuzzRequest {
  const door = random.pick([
    'rest',
    'rest',
    'rest',
    'mcp',
    'mcp',
    'web',
    'web',
    'web',
    'oauth',
    'any',
  ] as const);
  const request =
    door === 'rest'
      ? rest(random)
      : door === 'mcp'
        ? mcp(random)
        : door === 'web'
          ? web(random, creds)
          : door === 'oauth'
            ? oauth(random)
            : anything(random);
  return withCredentials(random, request, creds);
}

function withCredentials(random: Random, request: FuzzRequest, creds: Credentials): FuzzRequest {
  const headers = { ...request.headers };
  switch (random.int(0, 7)) {
    case 0:
      break;
    case 1:
      headers.authorization = `Bearer ${creds.read}`;
      break;
    case 2:
    case 3:
      headers.authorization = `Bearer ${creds.write}`;
      break;
    case 4:
      headers.authorization = `Bearer ${creds.admin}`;
      break;
    case 5:
      headers.authorization = random.pick([
        'Bearer',
        'Bearer wbt_x_y',
        `Bearer ${creds.write.slice(0, -2)}`,
        'Basic Zm9vOmJhcg==',
        'Basic ###',
        'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
        'Digest x',
      ]);
      break;
    default:
      headers.cookie = random.chance(0.8) ? creds.cookie : 'wikibot_session=forged; other=1';
      if (random.chance(0.5)) headers['x-csrf-token'] = random.chance(0.8) ? creds.csrf : 'wrong';
  }
  return { ...request, headers };
}

function jsonRequest(
  door: FuzzRequest['door'],
  random: Random,
  method: string,
  path: string,
  value: unknown,
): FuzzRequest {
  return {
    door,
    method,
    path,
    headers: { 'content-type': random.chance(0.9) ? 'application/json' : random.pick(CONTENT_TYPES) },
    body: jsonBody(random, value),
  };
}

function query(random: Random, names: string[]): string {
  const parts = names
    .filter(() => random.chance(0.5))
    .map(
      (name) =>
        `${name}=${encodeComponent(random.chance(0.7) ? text(random, 3) : String(random.int(-5, 500)))}`,
    );
  return parts.length ? `?${parts.join('&')}` : '';
}

function rest(random: Random): FuzzRequest {
  const base = '/w/main/api/v1';
  const page = wirePath(random, pagePath(random));
  const content = () => (random.chance(0.8) ? text(random, 12) : jsonValue(random));
  switch (random.int(0, 13)) {
    case 0:
      return {
        door: 'rest',
        method: 'GET',
        path: `${base}/pages/${page}${query(random, ['revision', 'format', 'section'])}`,
        headers: {},
      };
    case 1:
    case 2:
      return jsonRequest('rest', random, 'PUT', `${base}/pages/${page}`, {
        content: content(),
        ...(random.chance(0.3)
          ? { revision: random.pick(['abcdef0', text(random, 2), 'f'.repeat(40)]) }
          : {}),
        ...(random.chance(0.3) ? { commit_message: text(random) } : {}),
      });
    case 3:
      return jsonRequest('rest', random, 'PATCH', `${base}/pages/${page}`, {
        revision: random.pick(['abcdef0', text(random, 1)]),
        old_string: text(random, 2),
        new_string: jsonValue(random),
      });
    case 4:
      return jsonRequest('rest', random, 'DELETE', `${base}/pages/${page}`, {
        commit_message: jsonValue(random),
      });
    case 5:
      return jsonRequest('rest', random, 'POST', `${base}/pages/${page}/rename`, {
        new_path: random.chance(0.8) ? pagePath(random) : jsonValue(random),
      });
    case 6:
      return jsonRequest('rest', random, 'POST', `${base}/pages/${page}/attachments`, {
        filename: random.chance(0.8) ? text(random, 3) : jsonValue(random),
        content: base64(random),
      });
    case 7:
      return {
        door: 'rest',
        method: random.pick(['GET', 'DELETE']),
        path: `${base}/pages/${page}/attachments/${wirePath(random, text(random, 3) || 'f')}`,
        headers: {},
      };
    case 8:
      return {
        door: 'rest',
        method: 'GET',
        path: `${base}/pages${query(random, ['prefix', 'limit', 'offset', 'category', 'tag', 'updated_since'])}`,
        headers: {},
      };
    case 9:
      return {
        door: 'rest',
        method: 'GET',
        path: `${base}/search${query(random, ['q', 'limit', 'mode'])}`,
        headers: {},
      };
    case 10:
      return {
        door: 'rest',
        method: 'GET',
        path: `${base}/semantic-search${query(random, ['q', 'n'])}`,
        headers: {},
      };
    case 11:
      return { door: 'rest', method: 'GET', path: `${base}/links/${page}`, headers: {} };
    case 12:
      return {
        door: 'rest',
        method: 'GET',
        path: `${base}/${random.pick(['changelog', 'openapi.json', 'reindex/status', 'health'])}${query(random, ['limit', 'offset'])}`,
        headers: {},
      };
    default:
      return jsonRequest(
        'rest',
        random,
        random.pick(['POST', 'PUT', 'PATCH']),
        `${base}/${random.pick(['pages', 'reindex', 'search', 'changelog'])}`,
        jsonValue(random),
      );
  }
}

const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'fuzz', version: '1' },
};

function toolArguments(random: Random): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const name of [
    'path',
    'content',
    'revision',
    'old_string',
    'new_string',
    'new_path',
    'query',
    'filename',
    'commit_message',
    'limit',
    'section',
  ]) {
    if (random.chance(0.4))
      args[name] = name === 'path' ? pagePath(random) : random.chance(0.8) ? text(random) : jsonValue(random);
  }
  if (random.chance(0.2)) args.content_base64 = base64(random);
  return args;
}

function mcp(random: Random): FuzzRequest {
  const modern = random.chance(0.6);
  const method = random.pick([
    'tools/call',
    'tools/call',
    'tools/call',
    'tools/list',
    'resources/list',
    'resources/read',
    'prompts/list',
    'prompts/get',
    'initialize',
    'ping',
    'no/such',
    text(random, 2),
  ]);
  const tool = random.pick(MCP_TOOLS);
  const params: Record<string, unknown> =
    method === 'tools/call'
      ? { name: tool, arguments: random.chance(0.9) ? toolArguments(random) : jsonValue(random) }
      : method === 'resources/read'
        ? {
            uri: random.pick([
              'wiki://main/page/Home',
              `wiki://main/page/${text(random, 3)}`,
              text(random, 2),
            ]),
          }
        : method === 'initialize'
          ? {
              protocolVersion: random.pick(['2025-11-25', '2025-06-18', text(random, 1)]),
              capabilities: jsonValue(random),
              clientInfo: { name: 'fuzz', version: '1' },
            }
          : random.chance(0.5)
            ? {}
            : { x: jsonValue(random) };
  const message = {
    jsonrpc: random.chance(0.95) ? '2.0' : '1.0',
    id: random.chance(0.9) ? random.int(0, 1000) : jsonValue(random),
    method,
    params: modern ? { ...params, _meta: MODERN_META } : params,
  };
  const headers: Record<string, string> = {
    'content-type': random.chance(0.9) ? 'application/json' : random.pick(CONTENT_TYPES),
    accept: random.pick([
      'application/json, text/event-stream',
      'application/json',
      'text/event-stream',
      '*/*',
      'text/html',
    ]),
  };
  if (random.chance(0.9))
    headers['mcp-protocol-version'] = modern ? '2026-07-28' : random.pick(['2025-11-25', '1999-01-01', 'x']);
  if (modern && random.chance(0.9)) {
    headers['mcp-method'] = random.chance(0.9) ? headerSafe(method) : 'tools/list';
    if (method === 'tools/call') headers['mcp-name'] = random.chance(0.9) ? tool : 'read_note';
  }
  if (random.chance(0.1)) headers['mcp-session-id'] = headerSafe(text(random, 2)) || 'none';
  const body = random.chance(0.1) ? JSON.stringify([message, message]) : jsonBody(random, message);
  if (random.chance(0.1))
    return { door: 'mcp', method: random.pick(['GET', 'DELETE', 'PUT']), path: '/w/main/mcp', headers };
  return {
    door: 'mcp',
    method: 'POST',
    path: random.chance(0.95) ? '/w/main/mcp' : '/w/nosuch/mcp',
    headers,
    body,
  };
}

/** A form body: urlencoded, multipart (well-formed or not), or something that only claims to be a form. */
function form(
  random: Random,
  fields: Record<string, string>,
): { headers: Record<string, string>; body: string } {
  switch (random.int(0, 5)) {
    case 0: {
      const parts = Object.entries(fields).map(
        ([name, value]) => `--fuzz\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      );
      const files = random.chance(0.5)
        ? `--fuzz\r\nContent-Disposition: form-data; name="file"; filename="${text(random, 2)}"\r\nContent-Type: application/octet-stream\r\n\r\n${text(random)}\r\n`
        : '';
      return {
        headers: { 'content-type': 'multipart/form-data; boundary=fuzz' },
        body: `${parts.join('')}${files}--fuzz--\r\n`,
      };
    }
    case 1:
      return { headers: { 'content-type': random.pick(CONTENT_TYPES) }, body: text(random, 10) };
    default:
      return {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      };
  }
}

function web(random: Random, creds: Credentials): FuzzRequest {
  const page = wirePath(random, pagePath(random));
  if (random.chance(0.5)) {
    const path = random.pick([
      `/w/main/${page}`,
      `/w/main/-/edit/${page}`,
      `/w/main/-/history/${page}`,
      `/w/main/-/blame/${page}`,
      `/w/main/-/compare/${page}${query(random, ['from', 'to'])}`,
      `/w/main/-/commit/${wirePath(random, text(random, 2) || 'abc')}`,
      `/w/main/-/search${query(random, ['q', 'page'])}`,
      `/w/main/-/changelog${query(random, ['page'])}`,
      '/w/main/-/changelog.atom',
      '/w/main/-/index',
      '/w/main/-/attachments',
      `/-/theme${query(random, ['set', 'next'])}`,
      `/-/login${query(random, ['next'])}`,
      '/',
      `/w/${wirePath(random, text(random, 2) || 'x')}/`,
    ]);
    return {
      door: 'web',
      method: 'GET',
      path,
      headers: { accept: random.pick(['text/html', 'application/json', '*/*']) },
    };
  }
  const fields: Record<string, string> = {};
  for (const name of [
    'content',
    'revision',
    'message',
    'new_path',
    'action',
    'login',
    'password',
    'next',
    'set',
    'role',
    'username',
    'name',
    'scopes',
  ]) {
    if (random.chance(0.4)) fields[name] = text(random);
  }
  if (random.chance(0.7)) fields._csrf = random.chance(0.9) ? creds.csrf : text(random, 2);
  const path = random.pick([
    `/w/main/-/edit/${page}`,
    `/w/main/-/preview/${page}`,
    `/w/main/-/rename/${page}`,
    `/w/main/-/delete/${page}`,
    `/w/main/-/attachments/${page}`,
    '/w/main/-/create',
    `/w/main/-/revert/${wirePath(random, text(random, 1) || 'abcdef0')}`,
    '/w/main/-/settings/public',
    '/w/main/-/settings/tokens',
    '/-/login',
    '/-/logout',
    '/-/login/password',
    '/-/theme',
  ]);
  const { headers, body } = form(random, fields);
  return {
    door: 'web',
    method: 'POST',
    path,
    headers: { ...headers, accept: random.pick(['text/html', 'application/json']) },
    body,
  };
}

function oauth(random: Random): FuzzRequest {
  switch (random.int(0, 6)) {
    case 0:
      return {
        door: 'oauth',
        method: 'GET',
        path: random.pick([
          '/.well-known/oauth-authorization-server',
          '/.well-known/openid-configuration',
          '/.well-known/oauth-protected-resource/w/main/mcp',
          `/.well-known/oauth-protected-resource/w/${wirePath(random, text(random, 2) || 'x')}/mcp`,
          '/-/oauth/jwks',
          '/-/oauth/userinfo',
          `/-/oauth/interaction/${wirePath(random, text(random, 2) || 'x')}`,
        ]),
        headers: {},
      };
    case 1:
    case 2:
      return jsonRequest('oauth', random, 'POST', '/-/oauth/register', {
        redirect_uris: random.chance(0.8)
          ? [
              random.pick([
                'http://127.0.0.1/cb',
                'https://x.example/cb',
                'http://evil.example/cb',
                text(random, 2),
              ]),
            ]
          : jsonValue(random),
        client_name: jsonValue(random),
        token_endpoint_auth_method: random.pick(['none', 'client_secret_basic', text(random, 1)]),
        grant_types: random.chance(0.5) ? ['authorization_code'] : jsonValue(random),
      });
    case 3: {
      const fields: Record<string, string> = {};
      for (const name of [
        'grant_type',
        'code',
        'redirect_uri',
        'client_id',
        'code_verifier',
        'refresh_token',
        'resource',
        'token',
      ]) {
        if (random.chance(0.5))
          fields[name] =
            name === 'grant_type'
              ? random.pick(['authorization_code', 'refresh_token', 'client_credentials', text(random, 1)])
              : text(random, 3);
      }
      const { headers, body } = form(random, fields);
      return {
        door: 'oauth',
        method: 'POST',
        path: random.pick(['/-/oauth/token', '/-/oauth/revoke', '/-/oauth/introspect', '/-/oauth/par']),
        headers,
        body,
      };
    }
    default:
      return {
        door: 'oauth',
        method: 'GET',
        path: `/-/oauth/authorize${query(random, ['response_type', 'client_id', 'redirect_uri', 'code_challenge', 'code_challenge_method', 'scope', 'state', 'resource', 'prompt'])}`,
        headers: {},
      };
  }
}

function anything(random: Random): FuzzRequest {
  const method = random.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND']);
  const path =
    random.pick([
      '/',
      '/health',
      '/ready',
      '/w/main/',
      '/w/main/api/v1/pages',
      '/w/main/mcp',
      '/-/oauth/token',
      '/-/login',
    ]) + (random.chance(0.5) ? wirePath(random, text(random, 3)) : '');
  const headers: Record<string, string> = {};
  if (random.chance(0.7)) headers['content-type'] = random.pick(CONTENT_TYPES);
  if (random.chance(0.3)) headers.accept = random.pick(['text/html', 'application/json', 'x/y', '']);
  if (random.chance(0.2)) headers['accept-encoding'] = random.pick(['gzip', 'br', 'x']);
  if (random.chance(0.2)) headers['if-match'] = random.pick(['"abc"', '*', 'W/"x"']);
  if (random.chance(0.2)) headers['x-forwarded-for'] = random.pick(['1.2.3.4', 'not an ip', '::1, 10.0.0.1']);
  return {
    door: 'any',
    method,
    path,
    headers,
    ...(method === 'GET' || method === 'HEAD' || random.chance(0.2) ? {} : { body: text(random, 10) }),
  };
}

/** Header values carry visible ASCII only (the HTTP client refuses anything else). */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?');
}

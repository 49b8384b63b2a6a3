/** Ready-to-paste configuration for connecting agents to a wiki's MCP endpoint. */
export interface Connection {
  mcpUrl: string;
  apiUrl: string;
  gitUrl: string;
  claudeCode: string;
  claudeCodeWithToken: string;
  claudeDesktop: string;
  /** The address names this machine only (loopback): services on the internet cannot reach it. */
  localOnly: boolean;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return LOOPBACK_HOSTS.has(host) || host.startsWith('127.') || host.endsWith('.localhost');
  } catch {
    return false;
  }
}

/** `wikiUrl` and `gitUrl`: where the wiki is served (http/hostMode.ts). */
export function connection(
  slug: string,
  urls: { wikiUrl: string; gitUrl: string },
  token: string | null,
): Connection {
  const mcpUrl = `${urls.wikiUrl}/mcp`;
  const secret = token ?? '<your API token>';
  const name = `wiki-${slug}`;
  const desktop = {
    mcpServers: {
      [name]: {
        command: 'npx',
        // mcp-remote expands ${VAR} from `env`, keeping the token out of the argument list.
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder for mcp-remote, not for JavaScript
        args: ['-y', 'mcp-remote', mcpUrl, '--header', 'Authorization:${WIKIBOT_TOKEN}'],
        env: { WIKIBOT_TOKEN: `Bearer ${secret}` },
      },
    },
  };
  return {
    mcpUrl,
    apiUrl: `${urls.wikiUrl}/api/v1`,
    gitUrl: urls.gitUrl,
    claudeCode: `claude mcp add --transport http ${name} ${mcpUrl}`,
    claudeCodeWithToken: `claude mcp add --transport http ${name} ${mcpUrl} --header "Authorization: Bearer ${secret}"`,
    claudeDesktop: JSON.stringify(desktop, null, 2),
    localOnly: isLoopback(urls.wikiUrl),
  };
}

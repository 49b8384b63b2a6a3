#!/bin/sh
# /usr/local/bin/wikibot in the image, and its entry point (under tini): `wikibot <args>`, reading
# /etc/wikibot/wikibot.toml when one is mounted there and WIKIBOT_CONFIG names no other file.
set -e
if [ -z "${WIKIBOT_CONFIG:-}" ] && [ -f /etc/wikibot/wikibot.toml ]; then
  export WIKIBOT_CONFIG=/etc/wikibot/wikibot.toml
fi
exec node /app/packages/wikibot/bin/wikibot.js "$@"

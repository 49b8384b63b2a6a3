#!/bin/sh
# Removes from a production node_modules what wikibot serve never loads, to keep the image small:
#   prune-node-modules.sh <node_modules dir>
set -eu
nm="$1"
platform="$(node -p 'process.platform + "/" + process.arch')"

# transformers.js bundles the parts of onnxruntime-web its Node build uses; the package is never loaded.
rm -rf "$nm/onnxruntime-web"
# onnxruntime-node ships binaries for five platforms: keep this one.
find "$nm/onnxruntime-node/bin/napi-v6" -mindepth 2 -maxdepth 2 ! -path "*/$platform" -exec rm -rf {} +
# sharp's WebAssembly fallback: the native linux build above is what loads.
rm -rf "$nm/@img/sharp-wasm32"
# transformers.js browser bundles and sources (its dist is what loads).
rm -rf "$nm/@huggingface/transformers/src" "$nm/@huggingface/transformers/types"
rm -f "$nm"/@huggingface/transformers/dist/transformers.js "$nm"/@huggingface/transformers/dist/transformers.min.js \
  "$nm"/@huggingface/transformers/dist/transformers.web*.js "$nm"/@huggingface/transformers/dist/ort-wasm*
# better-sqlite3 needs only its compiled addon once built: not the SQLite sources or object files.
rm -rf "$nm/better-sqlite3/deps" "$nm/better-sqlite3/src" "$nm/better-sqlite3/build/Release/obj" \
  "$nm/better-sqlite3/build/Release/obj.target" "$nm/better-sqlite3/build/Release/.deps" \
  "$nm/better-sqlite3/build/Release/test_extension.node" "$nm/better-sqlite3/build/Release/sqlite3.a" \
  "$nm/better-sqlite3/build/deps"
# TypeScript sources shipped beside the compiled code.
rm -rf "$nm/zod/src" "$nm/katex/src"
# Type declarations, source maps and documentation.
rm -rf "$nm/@types"
find "$nm" -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' -o -iname '*.md' \) -delete

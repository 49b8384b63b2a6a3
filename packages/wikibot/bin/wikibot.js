#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code of the bundle in os.tmpdir()/node-compile-cache (or
// NODE_COMPILE_CACHE) for the next start; older Node has no such function and compiles every time.
module.enableCompileCache?.();
const { main } = await import('../dist/bundle/main.js');
await main(process.argv);

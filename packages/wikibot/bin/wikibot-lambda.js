#!/usr/bin/env node
// The container image's Lambda entry: the Runtime API loop around the handler (src/lambdaRuntime.ts).
import { handler } from '../dist/bundle/lambda.js';
import { serveRuntimeApi } from '../dist/bundle/lambda-runtime.js';

await serveRuntimeApi(handler);

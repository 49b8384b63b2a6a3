/** Public entry of the wikibot package (used by benchmarks and embedders). */
export { type Config, loadConfig } from './config.js';
export { GitRepository } from './git/repository.js';
export { createApp } from './http/app.js';
export { type RunningServer, startServer } from './http/server.js';
export { openServices, type Services } from './services.js';
export { Wiki } from './wiki/wiki.js';

/**
 * The worker threads' module (see pool.ts): each export is a task the pool runs by name.
 * Heavy work that must not run on the event loop gets an export here.
 */
export { renderTask as render } from './render-task.js';

/** Lambda entry (bundled to `dist/lambda/index.mjs`, handler `index.handler`). */
export { handler } from './handler.js';

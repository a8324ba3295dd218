// `npm run synth:update`: rewrites the console template under deploy/ from the code.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CONSOLE_TEMPLATE_FILE, renderConsoleTemplate } from './console-template.js';

mkdirSync(dirname(CONSOLE_TEMPLATE_FILE), { recursive: true });
writeFileSync(CONSOLE_TEMPLATE_FILE, renderConsoleTemplate());
console.log(`wrote ${CONSOLE_TEMPLATE_FILE}`);

// `npm run synth:update`: rewrites the console templates under deploy/ (main stack and forwarder) from the code.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CONSOLE_TEMPLATE_FILE, renderConsoleTemplate } from './console-template.js';
import { FORWARDER_TEMPLATE_FILE, renderForwarderTemplate } from './forwarder-template.js';

for (const [file, render] of [
  [CONSOLE_TEMPLATE_FILE, renderConsoleTemplate],
  [FORWARDER_TEMPLATE_FILE, renderForwarderTemplate],
] as const) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, render());
  console.log(`wrote ${file}`);
}

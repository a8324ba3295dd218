import { formatTime } from '../alert/time.js';
import type { ReceivedMessage } from '../dooray/receiver.js';

/**
 * Shows a received message as a Dooray room would: sender and time, the text, each attachment as a coloured
 * block with its title, link and text. Times in `timeZone`.
 */
export function formatRoomView(received: ReceivedMessage, timeZone: string): string {
  const when = formatTime(new Date(received.at), timeZone);
  if (!received.message) return `  ✗ rejected post at ${when}: ${received.problems.join('; ')}\n`;
  const m = received.message;
  const lines = [
    `  ┌─ ${m.botName}${m.botIconImage ? ' 🖼' : ''} · ${when}`,
    ...m.text.split('\n').map((l) => `  │ ${l}`),
  ];
  for (const a of m.attachments ?? []) {
    const bar = `▌${a.color ? `(${a.color})` : ''}`;
    if (a.title) lines.push(`  │ ${bar} ${a.title}${a.titleLink ? `  <${a.titleLink}>` : ''}`);
    for (const l of (a.text ?? '').split('\n')) if (l) lines.push(`  │ ${bar}   ${l}`);
  }
  if (received.sincePreviousMs !== undefined && received.sincePreviousMs < 1000) {
    lines.push(
      `  │ ⚠ ${received.sincePreviousMs} ms after the previous message: Dooray would drop it silently`,
    );
  }
  lines.push('  └─');
  return `${lines.join('\n')}\n`;
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_ATTACHMENTS, type DoorayMessage } from './message.js';

/** One post the receiver took. */
export interface ReceivedMessage {
  /** Epoch ms of arrival. */
  at: number;
  /** The parsed body when it was a valid Dooray message. */
  message?: DoorayMessage;
  /** What is wrong with the body (the post was answered 400); empty when valid. */
  problems: string[];
  /** Ms since the previous post to this receiver; under 1,000 ms Dooray would drop the message silently. */
  sincePreviousMs?: number;
}

/** A running receiver. `url` is a hook URL on 127.0.0.1 (random port) that the Dooray client accepts. */
export interface Receiver {
  url: string;
  messages: ReceivedMessage[];
  close(): Promise<void>;
}

/** Largest body the receiver reads, in bytes. */
const MAX_BODY_BYTES = 1024 * 1024;
const ATTACHMENT_KEYS = new Set(['title', 'titleLink', 'text', 'color']);
const MESSAGE_KEYS = new Set(['botName', 'botIconImage', 'text', 'attachments']);

/**
 * Checks a body against the incoming-hook format (Dooray Messenger "Incoming Hook guide"): a JSON object with
 * `botName` and `text` strings, optional `botIconImage` string, optional `attachments` (at most 20) of
 * `{title, titleLink, text, color}` strings. Returns the problems found (empty when valid).
 */
export function checkDoorayMessage(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['body is not a JSON object'];
  const m = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(m)) if (!MESSAGE_KEYS.has(key)) problems.push(`unknown field ${key}`);
  if (typeof m['botName'] !== 'string' || m['botName'] === '') problems.push('botName is missing or empty');
  if (typeof m['text'] !== 'string' || m['text'] === '') problems.push('text is missing or empty');
  if ('botIconImage' in m && typeof m['botIconImage'] !== 'string')
    problems.push('botIconImage is not a string');
  if ('attachments' in m) {
    const attachments = m['attachments'];
    if (!Array.isArray(attachments)) problems.push('attachments is not a list');
    else {
      if (attachments.length > MAX_ATTACHMENTS) problems.push(`more than ${MAX_ATTACHMENTS} attachments`);
      attachments.forEach((a: unknown, i) => {
        if (typeof a !== 'object' || a === null) return problems.push(`attachments[${i}] is not an object`);
        for (const [key, value] of Object.entries(a)) {
          if (!ATTACHMENT_KEYS.has(key)) problems.push(`attachments[${i}] has unknown field ${key}`);
          else if (typeof value !== 'string') problems.push(`attachments[${i}].${key} is not a string`);
        }
        return undefined;
      });
    }
  }
  return problems;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * Starts an embedded Dooray-compatible incoming-webhook receiver on 127.0.0.1 (random port), for the demo,
 * `simulate` and tests. It answers like Dooray: 200 with an empty body for a valid message; 400 with
 * `{"header":{"isSuccessful":false,…}}` for an invalid one; 404 for a path that is not `/services/…`.
 * `onMessage` is called for each post.
 */
export async function startReceiver(
  options: { onMessage?: (received: ReceivedMessage) => void } = {},
): Promise<Receiver> {
  const messages: ReceivedMessage[] = [];
  let previous: number | undefined;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      if (request.method !== 'POST' || !request.url?.startsWith('/services/')) {
        response.writeHead(404).end();
        return;
      }
      let text: string;
      try {
        text = await readBody(request);
      } catch {
        response.writeHead(413).end();
        return;
      }
      const at = Date.now();
      let parsed: unknown;
      let problems: string[];
      try {
        parsed = JSON.parse(text);
        problems = checkDoorayMessage(parsed);
      } catch {
        problems = ['body is not JSON'];
      }
      const received: ReceivedMessage = {
        at,
        problems,
        ...(problems.length === 0 ? { message: parsed as DoorayMessage } : {}),
        ...(previous === undefined ? {} : { sincePreviousMs: at - previous }),
      };
      previous = at;
      messages.push(received);
      options.onMessage?.(received);
      if (problems.length > 0) {
        response.writeHead(400, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            header: { isSuccessful: false, resultCode: -400, resultMessage: problems.join('; ') },
          }),
        );
      } else {
        response.writeHead(200).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/3000000000000000000/3000000000000000001/receiverToken0000000a`,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

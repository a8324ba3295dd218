/**
 * The JSON body of a Dooray! incoming-webhook post. Source: Dooray! Messenger "Incoming Hook guide"
 * (TOAST-DOCS/Dooray-Messenger `ko/incoming-hook-guide.md`,
 * https://github.com/TOAST-DOCS/Dooray-Messenger/blob/main/ko/incoming-hook-guide.md).
 */

/** One attachment block: a title (optionally a link) and a text in a coloured box. */
export interface DoorayAttachment {
  title?: string;
  titleLink?: string;
  text?: string;
  /** `red` and `green` are the colours the official guide shows; others are unverified for hooks. */
  color?: string;
}

/** The body of one post to an incoming webhook. */
export interface DoorayMessage {
  /** Display name of the sender (always sent; the guide's default is `AlarmBot`). */
  botName: string;
  /** Avatar image URL; omitted unless configured, as in the guide. */
  botIconImage?: string;
  text: string;
  attachments?: DoorayAttachment[];
}

/** Attachments per message: at most 20 (documented for command messages; the hook limit is not published). */
export const MAX_ATTACHMENTS = 20;

import type { Severity } from '../alerts/types.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, dingtalkSignedUrl, jsonSignature } from './sign.js';
import type { Channel, ChannelKind, NotifyMessage } from './types.js';

/**
 * The wire format of each channel kind, as data: the body, how one attempt is
 * signed, and which 2xx replies are still failures. The notifier never branches
 * on a kind's name; a new kind is one entry in `KIND_PROTOCOLS`.
 */
export interface KindProtocol {
  body(msg: NotifyMessage, ctx: { alertId?: string }): object;
  /** URL and headers for one attempt, signed afresh (DingTalk refuses a timestamp over 1 h old). */
  request(channel: Channel, rawBody: string, nowMs: number): { url: string; headers: Record<string, string> };
  /** Why a 2xx reply is a failure, or undefined if it is a success. */
  replyError(replyText: string): string | undefined;
}

const SEVERITY_LABEL: Record<Severity, string> = { critical: '紧急', high: '重要', medium: '一般', low: '提示' };
/** The footer carries "邻里" so a robot secured by 自定义关键词 = 邻里 accepts every message. */
const FOOTER = '—— 邻里';
const LINK_TEXT = '打开看板';

const lines = (text: string) => text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
const heading = (msg: NotifyMessage) => `【${SEVERITY_LABEL[msg.severity]}】${msg.title}`;

/** Cuts `text` to at most `maxBytes` UTF-8 bytes on a character boundary, marking the cut with "…". */
export function clipUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let used = Buffer.byteLength('…', 'utf8');
  if (used > maxBytes) return '';
  let out = '';
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (used + n > maxBytes) break;
    out += ch;
    used += n;
  }
  return out + '…';
}

/** Head and tail kept whole; the middle (the alert's detail lines) is clipped to fit `maxBytes`. */
function fit(head: string, middle: string, tail: string, maxBytes: number): string {
  const room = maxBytes - Buffer.byteLength(head + tail, 'utf8');
  return head + clipUtf8(middle, Math.max(room, 0)) + tail;
}

/** DingTalk replies HTTP 200 with `{errcode, errmsg}`; WeCom too. errcode 0 is the only success. */
function robotReplyError(replyText: string): string | undefined {
  let reply: unknown;
  try {
    reply = JSON.parse(replyText);
  } catch {
    return `unexpected reply (not JSON): ${replyText.slice(0, 200)}`;
  }
  const r = reply as { errcode?: unknown; errmsg?: unknown };
  if (typeof r?.errcode !== 'number') return `unexpected reply: ${replyText.slice(0, 200)}`;
  if (r.errcode !== 0) return `errcode ${r.errcode}: ${String(r.errmsg ?? '')}`;
  return undefined;
}

/**
 * DingTalk custom robot (open.dingtalk.com/document/group/custom-robot-access):
 * `{msgtype: 'markdown', markdown: {title, text}, at: {isAtAll}}`. `title` is what
 * the conversation list and the phone notification show. A single "\n" is not a
 * line break in DingTalk markdown, so lines are separate paragraphs.
 */
const dingtalk: KindProtocol = {
  body(msg) {
    const parts = [`### ${heading(msg)}`, ...lines(msg.text)];
    if (msg.url) parts.push(`[${LINK_TEXT}](${msg.url})`);
    parts.push(FOOTER);
    return {
      msgtype: 'markdown',
      markdown: { title: heading(msg), text: parts.join('\n\n') },
      at: { isAtAll: msg.atAll === true },
    };
  },
  request(channel, _raw, nowMs) {
    return { url: channel.secret ? dingtalkSignedUrl(channel.url, channel.secret, nowMs) : channel.url, headers: {} };
  },
  replyError: robotReplyError,
};

/** WeCom group robot limits (developer.work.weixin.qq.com/document/path/91770): text ≤ 2048 bytes, markdown ≤ 4096 bytes. */
const WECOM_TEXT_MAX_BYTES = 2048;
const WECOM_MARKDOWN_MAX_BYTES = 4096;

/**
 * WeCom group robot (developer.work.weixin.qq.com/document/path/91770): POST to
 * the `…/webhook/send?key=…` URL; no signing, the key is the credential.
 * markdown cannot @ everyone (mentioned_list is a `text` field only), so an
 * @all message is `text` with `mentioned_list: ['@all']`; everything else is markdown.
 */
const wecom: KindProtocol = {
  body(msg) {
    const link = msg.url ? `\n${LINK_TEXT}:${msg.url}` : '';
    if (msg.atAll) {
      const content = fit(`${heading(msg)}\n`, lines(msg.text).join('\n'), `${link}\n${FOOTER}`, WECOM_TEXT_MAX_BYTES);
      return { msgtype: 'text', text: { content, mentioned_list: ['@all'] } };
    }
    // Built-in colours only: info (green), comment (grey), warning (orange-red).
    const colour = msg.severity === 'critical' || msg.severity === 'high' ? 'warning' : 'comment';
    const head = `### <font color="${colour}">【${SEVERITY_LABEL[msg.severity]}】</font>${msg.title}\n`;
    const mdLink = msg.url ? `\n[${LINK_TEXT}](${msg.url})` : '';
    const tail = `${mdLink}\n<font color="comment">${FOOTER}</font>`;
    const content = fit(head, lines(msg.text).map((l) => `> ${l}`).join('\n'), tail, WECOM_MARKDOWN_MAX_BYTES);
    return { msgtype: 'markdown', markdown: { content } };
  },
  request(channel) {
    return { url: channel.url, headers: {} };
  },
  replyError: robotReplyError,
};

/**
 * Plain JSON for any receiver: the message as it is, with the alert id.
 * `X-Linli-Timestamp: <ms>` and, when the channel has a secret,
 * `X-Linli-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`; the
 * receiver compares in constant time and refuses stale timestamps. Any 2xx is a success.
 */
const json: KindProtocol = {
  body(msg, ctx) {
    return {
      ...(ctx.alertId !== undefined ? { alertId: ctx.alertId } : {}),
      severity: msg.severity,
      title: msg.title,
      text: msg.text,
      ...(msg.url !== undefined ? { url: msg.url } : {}),
      atAll: msg.atAll === true,
    };
  },
  request(channel, raw, nowMs) {
    const headers: Record<string, string> = { [TIMESTAMP_HEADER]: String(nowMs) };
    if (channel.secret) headers[SIGNATURE_HEADER] = jsonSignature(channel.secret, nowMs, raw);
    return { url: channel.url, headers };
  },
  replyError: () => undefined,
};

export const KIND_PROTOCOLS: Record<ChannelKind, KindProtocol> = { dingtalk, wecom, json };

/** The JSON body a channel kind expects for `msg`. `ctx.alertId` goes into plain JSON only. */
export function formatMessage(kind: ChannelKind, msg: NotifyMessage, ctx: { alertId?: string } = {}): { body: object } {
  return { body: KIND_PROTOCOLS[kind].body(msg, ctx) };
}

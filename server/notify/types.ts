import { z } from 'zod';
import type { Severity } from '../alerts/types.js';

/** The chat robots committees already use, plus plain JSON for anything else (a home server, a script). */
export const CHANNEL_KINDS = ['dingtalk', 'wecom', 'json'] as const;
export const ChannelKind = z.enum(CHANNEL_KINDS);
export type ChannelKind = z.infer<typeof ChannelKind>;

/**
 * Where a notification goes. `url` is the robot's webhook as the group shows it
 * (DingTalk `…/robot/send?access_token=…`, WeCom `…/webhook/send?key=…`): it is a
 * credential, so it is never logged in full. `secret`: DingTalk's 加签 secret
 * (`SEC…`), or the HMAC key for plain JSON; WeCom robots have none.
 */
export const Channel = z.object({
  id: z.string().min(1),
  kind: ChannelKind,
  url: z.url({ protocol: /^https?$/ }),
  secret: z.string().min(1).optional(),
});
export type Channel = z.infer<typeof Channel>;

/** What a person reads in the group. `text` is Chinese, one fact a line. */
export interface NotifyMessage {
  title: string;
  text: string;
  severity: Severity;
  /** Link to the alert on the dashboard. */
  url?: string;
  /** @ everyone in the group: for critical alerts (trapped passengers, fire risk). */
  atAll?: boolean;
}

export interface Delivery {
  alertId: string;
  /** Username or external contact id the message is for (the group is reached through the channel). */
  recipient: string;
  channel: Channel;
  message: NotifyMessage;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One row per delivery; attempts and the last error tell a volunteer why a message did not arrive. */
export interface DeliveryRecord {
  id: string;
  alertId: string;
  recipient: string;
  channelId: string;
  channelKind: ChannelKind;
  /** The webhook URL masked (`https://oapi.dingtalk.com/robot/send?access_token=***`): which endpoint, without the credential. */
  target: string;
  status: DeliveryStatus;
  attempts: number;
  /** Never holds the webhook URL or the secret. */
  lastError?: string;
  httpStatus?: number;
  createdAt: string;
  updatedAt: string;
  deliveredAt?: string;
}

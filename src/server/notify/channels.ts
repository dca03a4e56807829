// Sends one stored payload through a subscription's channel. The target is checked again at send
// time: the configuration may have been tightened since the subscription was made, and the
// webhook's host may resolve elsewhere now.
import { emailFor, type Lang, type NotificationPayload } from '../../core/notify/payload.js';
import { checkTarget } from '../../core/notify/targets.js';
import type { SendableSubscription } from '../../store/notifications.js';
import type { ServerConfig } from '../config.js';
import { smtpMailer, type Mailer } from './email.js';
import { sendWebhook } from './webhook.js';

/** The part of the `notifications` configuration sending reads. */
export type NotificationsConfig = Pick<ServerConfig['notifications'], 'smtp' | 'allowHttpWebhooks' | 'allowPrivateTargets'>;

/** The rules a webhook target is held to under this configuration. */
export function targetRules(config: NotificationsConfig): { allowHttp: boolean; allowPrivate: boolean } {
  return { allowHttp: config.allowHttpWebhooks, allowPrivate: config.allowPrivateTargets };
}

export interface OutgoingMessage {
  /** The delivery's id, so a receiver can recognise a retry of a message it already has. */
  deliveryId: string;
  event: string;
  payloadJson: string;
  /** The language the e-mail leads with. */
  lang: Lang;
}

export interface Sender {
  /** Sends once; throws an Error saying why when it did not go out. */
  send(subscription: SendableSubscription, message: OutgoingMessage): Promise<void>;
  /** Closes the SMTP connection, if one was opened. */
  close(): void;
}

export function channelSender(config: NotificationsConfig): Sender {
  let mailer: Mailer | null = null;
  return {
    async send(subscription, message) {
      const target = checkTarget(subscription.channel, subscription.target, targetRules(config));
      if (subscription.channel === 'webhook') {
        const webhook = { url: target, secret: subscription.secret, body: message.payloadJson, event: message.event, deliveryId: message.deliveryId };
        await sendWebhook(webhook, { allowPrivate: config.allowPrivateTargets });
        return;
      }
      if (!config.smtp) throw new Error('no SMTP server is configured (notifications.smtp)');
      mailer ??= smtpMailer(config.smtp);
      const payload = JSON.parse(message.payloadJson) as NotificationPayload;
      await mailer.send(target, emailFor(payload, message.lang), { 'X-Camaudit-Event': message.event, 'X-Camaudit-Delivery': message.deliveryId });
    },
    close() {
      mailer?.close();
      mailer = null;
    },
  };
}

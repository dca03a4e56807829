// The e-mail channel: one message per delivery through the configured SMTP server.
import nodemailer from 'nodemailer';
import type { EmailMessage } from '../../core/notify/payload.js';
import type { ServerConfig } from '../config.js';

type SmtpConfig = NonNullable<ServerConfig['notifications']['smtp']>;

export interface Mailer {
  send(to: string, message: EmailMessage, headers: Record<string, string>): Promise<void>;
  close(): void;
}

/** A mailer over one pooled SMTP connection; close it when the sweep is done. */
export function smtpMailer(config: SmtpConfig): Mailer {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    ...(config.user !== undefined ? { auth: { user: config.user, pass: config.pass ?? '' } } : {}),
    pool: true,
    maxConnections: 1,
    // A mail server that does not answer must not hold the sweep up for minutes.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(to, message, headers) {
      await transport.sendMail({ from: config.from, to, subject: message.subject, text: message.text, html: message.html, headers });
    },
    close: () => transport.close(),
  };
}

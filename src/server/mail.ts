import type { Transporter } from 'nodemailer';
import type { Config } from './config.ts';

export type Mail = {
  to: string;
  subject: string;
  text: string;
  /**
   * The message's Message-ID, without the angle brackets (e.g. `invitation.ID@host`): the same for every try of one
   * email, so that the rare second delivery of a retried job is recognisable as the same message (and mail clients
   * show it once). Left out, the mail library makes a random one.
   */
  messageId?: string;
};

export type Mailer = {
  /** false when SMTP_* is not set: callers show links to the admin instead of emailing them */
  configured: boolean;
  send(mail: Mail): Promise<void>;
};

export function createMailer(smtp: Config['smtp']): Mailer {
  if (!smtp) {
    return {
      configured: false,
      send: async () => {
        throw new Error('Email is not configured (set SMTP_HOST)');
      },
    };
  }
  // the mail library (a tenth of the server's code) is loaded at the first email, not at every start
  let transport: Promise<Transporter> | undefined;
  const connect = async () =>
    (await import('nodemailer')).default.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
      // a local relay in tests and small installs may offer no TLS
      ignoreTLS: !smtp.secure && !smtp.user,
    });
  return {
    configured: true,
    send: async (mail) => {
      transport ??= connect();
      await (await transport).sendMail({ from: smtp.from, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.messageId ? { messageId: `<${mail.messageId}>` } : {}) });
    },
  };
}

/**
 * Outgoing e-mail through SMTP (nodemailer). `SMTP_URL` names the server (smtp://user:pass@host:587,
 * smtps://… for implicit TLS); without it messages are written to the log and never sent, so a machine with
 * no mail server (a laptop running `npm start`) still works.
 */
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string | readonly string[];
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  /** Sends one message; rejects when the server refuses it (callers keep it for a retry). */
  send(message: MailMessage): Promise<void>;
  /** Whether messages really leave the machine (false: they are only logged). */
  readonly delivers: boolean;
  close(): void;
}

export interface MailEnvironment {
  SMTP_URL?: string | undefined;
  MAIL_FROM?: string | undefined;
}

export interface MailLog {
  info(object: unknown, message: string): void;
}

export const DEFAULT_MAIL_FROM = 'Cổng Thương mại điện tử <no-reply@ecomgov.invalid>';

const stderrLog: MailLog = {
  info(object, message) {
    process.stderr.write(`${JSON.stringify({ level: 'info', msg: message, ...(object as object) })}\n`);
  },
};

export function createMailer(env: MailEnvironment, log: MailLog = stderrLog): Mailer {
  const from = env.MAIL_FROM ?? DEFAULT_MAIL_FROM;
  if (!env.SMTP_URL) {
    return {
      delivers: false,
      async send(message) {
        log.info(
          { mail: { from, to: message.to, subject: message.subject, text: message.text } },
          'mail not sent (SMTP_URL unset)',
        );
      },
      close() {},
    };
  }
  const transport = nodemailer.createTransport(env.SMTP_URL);
  return {
    delivers: true,
    async send(message) {
      await transport.sendMail({
        from,
        to: typeof message.to === 'string' ? message.to : [...message.to],
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
      });
    },
    close() {
      transport.close();
    },
  };
}

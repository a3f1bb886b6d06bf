import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSmtpServer, type TestSmtpServer } from '../../test/support/smtp.ts';
import { createMailer } from './mail.ts';

describe('createMailer', () => {
  let smtp: TestSmtpServer;
  before(async () => {
    smtp = await startSmtpServer();
  });
  after(async () => {
    await smtp.close();
  });

  it('delivers a Vietnamese message through the SMTP server named by SMTP_URL', async () => {
    const mailer = createMailer({ SMTP_URL: smtp.url, MAIL_FROM: 'Cổng TMĐT <no-reply@portal.test>' });
    try {
      await mailer.send({
        to: 'chu.shop@example.vn',
        subject: 'Hồ sơ đã được tiếp nhận',
        text: 'Kính gửi Quý doanh nghiệp,\nHồ sơ của Quý doanh nghiệp đã được tiếp nhận.',
      });
    } finally {
      mailer.close();
    }
    const mail = await smtp.waitFor((message) => message.to.includes('chu.shop@example.vn'));
    assert.equal(mail.subject, 'Hồ sơ đã được tiếp nhận');
    assert.match(mail.text, /Hồ sơ của Quý doanh nghiệp đã được tiếp nhận/);
    assert.equal(mail.from, 'no-reply@portal.test');
    assert.equal(mailer.delivers, true);
  });

  it('sends to several recipients at once', async () => {
    const mailer = createMailer({ SMTP_URL: smtp.url });
    try {
      await mailer.send({ to: ['a@example.vn', 'b@example.vn'], subject: 'Nhắc hạn', text: 'x' });
    } finally {
      mailer.close();
    }
    const mail = await smtp.waitFor((message) => message.subject === 'Nhắc hạn');
    assert.deepEqual(mail.to.sort(), ['a@example.vn', 'b@example.vn']);
  });

  it('only logs the message when SMTP_URL is unset', async () => {
    const logged: unknown[] = [];
    const mailer = createMailer({}, { info: (object) => logged.push(object) });
    const before = smtp.messages.length;
    await mailer.send({ to: 'x@example.vn', subject: 'Không gửi', text: 'nội dung' });
    assert.equal(mailer.delivers, false);
    assert.equal(logged.length, 1);
    assert.match(JSON.stringify(logged[0]), /Không gửi/);
    assert.equal(smtp.messages.length, before);
  });

  it('rejects when no server listens at SMTP_URL', async () => {
    const mailer = createMailer({ SMTP_URL: 'smtp://127.0.0.1:1' });
    await assert.rejects(mailer.send({ to: 'x@example.vn', subject: 's', text: 't' }));
    mailer.close();
  });
});

/**
 * The e-mails of the review: one per step, to the applicant's contact address, Vietnamese first and English
 * below (the applicant may be a foreign platform). Written to the outbox in the transaction of the step and
 * sent after commit (`deliverDueMail` of core/mail-outbox.ts), so a message is neither lost when SMTP is down nor sent for a step
 * that rolled back.
 */

import { formatCalendarDate } from '../../core/dates.ts';

export type MailStep =
  | 'received'
  | 'resubmitted'
  | 'supplement_requested'
  | 'approved'
  | 'rejected'
  | 'suspended'
  | 'cancelled'
  | 'terminated'
  | 'reinstated';

export interface MailFacts {
  reference: string;
  siteName: string;
  /** Link to the application's page. */
  link: string;
  dueOn?: string | undefined;
  /** The period counted to dueOn, from the table of procedures. */
  workingDays?: number | undefined;
  registrationNo?: string | null | undefined;
  validUntil?: string | null | undefined;
  recordLink?: string | undefined;
  /** What is missing, the reasons, the legal basis: the officer's words, quoted as written. */
  note?: string | undefined;
  legalBasis?: string | undefined;
}

interface Text {
  subject: string;
  vi: string[];
  en: string[];
}

function texts(step: MailStep, facts: MailFacts): Text {
  const due = facts.dueOn ? formatCalendarDate(facts.dueOn) : '';
  const until = facts.validUntil ? formatCalendarDate(facts.validUntil) : '';
  switch (step) {
    case 'received':
      return {
        subject: `[${facts.reference}] Đã tiếp nhận hồ sơ / Application received`,
        vi: [
          `Bộ Công Thương đã tiếp nhận hồ sơ ${facts.reference} cho "${facts.siteName}".`,
          `Hạn xem xét: hết ngày ${due}${facts.workingDays ? ` (${facts.workingDays} ngày làm việc)` : ''}.`,
          'Trước khi hồ sơ được xác nhận, Quý doanh nghiệp cần chứng minh quyền quản lý tên miền theo hướng dẫn trên trang hồ sơ.',
        ],
        en: [
          `The Ministry of Industry and Trade has received application ${facts.reference} for "${facts.siteName}".`,
          `Review deadline: end of ${due}${facts.workingDays ? ` (${facts.workingDays} working days)` : ''}.`,
          'Before approval, prove control of your domains as the application page explains.',
        ],
      };
    case 'resubmitted':
      return {
        subject: `[${facts.reference}] Đã tiếp nhận hồ sơ bổ sung / Supplemented application received`,
        vi: [
          `Đã tiếp nhận hồ sơ bổ sung ${facts.reference} cho "${facts.siteName}".`,
          `Thời hạn xem xét được tính lại: hết ngày ${due}.`,
        ],
        en: [
          `The supplemented application ${facts.reference} for "${facts.siteName}" has been received.`,
          `The review period starts again: it ends on ${due}.`,
        ],
      };
    case 'supplement_requested':
      return {
        subject: `[${facts.reference}] Yêu cầu bổ sung hồ sơ / Supplements requested`,
        vi: [
          `Hồ sơ ${facts.reference} cho "${facts.siteName}" cần bổ sung:`,
          facts.note ?? '',
          'Thời hạn xem xét sẽ được tính lại từ khi Quý doanh nghiệp nộp lại hồ sơ.',
        ],
        en: [
          `Application ${facts.reference} for "${facts.siteName}" needs supplements:`,
          facts.note ?? '',
          'The review period starts again when you resubmit.',
        ],
      };
    case 'approved':
      return {
        subject: `[${facts.reference}] Hồ sơ đã được xác nhận: ${facts.registrationNo} / Application approved`,
        vi: [
          `Hồ sơ ${facts.reference} cho "${facts.siteName}" đã được xác nhận, số ${facts.registrationNo}.`,
          until ? `Hiệu lực đến hết ngày ${until}.` : 'Thông báo có hiệu lực cho đến khi có thay đổi.',
          `Trang hồ sơ công khai: ${facts.recordLink ?? ''}`,
          'Mã nhúng biểu tượng có trên trang hồ sơ của Quý doanh nghiệp.',
        ],
        en: [
          `Application ${facts.reference} for "${facts.siteName}" is approved, number ${facts.registrationNo}.`,
          until ? `Valid until the end of ${until}.` : 'The notification stays valid until something changes.',
          `Public record: ${facts.recordLink ?? ''}`,
          'The badge code to embed is on your application page.',
        ],
      };
    case 'rejected':
      return {
        subject: `[${facts.reference}] Hồ sơ không được xác nhận / Application rejected`,
        vi: [`Hồ sơ ${facts.reference} cho "${facts.siteName}" không được xác nhận. Lý do:`, facts.note ?? ''],
        en: [`Application ${facts.reference} for "${facts.siteName}" is rejected. Reasons:`, facts.note ?? ''],
      };
    case 'suspended':
    case 'cancelled':
    case 'terminated':
    case 'reinstated': {
      const vi = {
        suspended: 'bị đình chỉ hoạt động',
        cancelled: 'bị hủy bỏ',
        terminated: 'chấm dứt theo đề nghị của doanh nghiệp',
        reinstated: 'được khôi phục',
      }[step];
      const en = {
        suspended: 'suspended',
        cancelled: 'cancelled',
        terminated: 'terminated at your request',
        reinstated: 'reinstated',
      }[step];
      return {
        subject: `[${facts.registrationNo}] Đăng ký ${vi} / Registration ${en}`,
        vi: [
          `Hồ sơ số ${facts.registrationNo} ("${facts.siteName}") đã ${vi}.`,
          facts.note ? `Lý do: ${facts.note}` : '',
          facts.legalBasis ? `Căn cứ: ${facts.legalBasis}` : '',
        ],
        en: [
          `Record ${facts.registrationNo} ("${facts.siteName}") has been ${en}.`,
          facts.note ? `Reason: ${facts.note}` : '',
          facts.legalBasis ? `Legal basis: ${facts.legalBasis}` : '',
        ],
      };
    }
  }
}

/** Subject and plain-text body of the e-mail for a step. */
export function composeMail(step: MailStep, facts: MailFacts): { subject: string; body: string } {
  const text = texts(step, facts);
  const lines = (paragraphs: string[]) => paragraphs.filter(Boolean).join('\n');
  const body = [
    'Kính gửi Quý doanh nghiệp,',
    '',
    lines(text.vi),
    '',
    `Xem hồ sơ: ${facts.link}`,
    '',
    '— Cổng thông tin quản lý hoạt động thương mại điện tử, Bộ Công Thương',
    '',
    '----------------------------------------',
    '',
    'Dear applicant,',
    '',
    lines(text.en),
    '',
    `Your application: ${facts.link}`,
    '',
    '— E-Commerce Management Portal, Ministry of Industry and Trade',
    '',
  ].join('\n');
  return { subject: text.subject, body };
}

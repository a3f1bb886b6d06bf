/**
 * The e-mails of a business's sign-up, Vietnamese first and English below: the link that confirms a new account's
 * address, or, to an address that has an account already, word that someone tried to sign up with it. The page
 * after sign-up is the same in both cases; only the owner of the mailbox learns which it was.
 */

export interface SignUpMailFacts {
  organisationName: string;
  taxCode: string;
}

export interface ComposedMail {
  subject: string;
  body: string;
}

const SIGNATURE = {
  vi: '— Cổng thông tin quản lý hoạt động thương mại điện tử, Bộ Công Thương',
  en: '— E-Commerce Management Portal, Ministry of Industry and Trade',
};

function bilingual(vi: string[], en: string[]): string {
  return [
    'Kính gửi Quý khách,',
    '',
    ...vi,
    '',
    SIGNATURE.vi,
    '',
    '----------------------------------------',
    '',
    'Hello,',
    '',
    ...en,
    '',
    SIGNATURE.en,
    '',
  ].join('\n');
}

/** The link that finishes the sign-up; it works once, for `hours` hours. */
export function composeConfirmationMail(facts: SignUpMailFacts, link: string, hours: number): ComposedMail {
  return {
    subject: 'Xác nhận địa chỉ email để hoàn tất đăng ký / Confirm your e-mail address to finish signing up',
    body: bilingual(
      [
        `Địa chỉ email này vừa được dùng để đăng ký tài khoản doanh nghiệp cho “${facts.organisationName}” (mã số ${facts.taxCode}).`,
        `Để hoàn tất việc đăng ký, hãy mở đường dẫn sau trong vòng ${hours} giờ và bấm “Xác nhận”:`,
        '',
        link,
        '',
        'Đường dẫn chỉ dùng được một lần. Nếu không phải bạn đăng ký, hãy bỏ qua thư này: tài khoản sẽ không được kích hoạt.',
      ],
      [
        `This e-mail address was just used to create a business account for “${facts.organisationName}” (tax code ${facts.taxCode}).`,
        `To finish, open this link within ${hours} hours and press “Confirm”:`,
        '',
        link,
        '',
        'The link works once. If you did not sign up, ignore this e-mail: the account will not be activated.',
      ],
    ),
  };
}

/** To an address that has an account: someone (perhaps its owner) tried to sign up with it; nothing changed. */
export function composeAlreadyRegisteredMail(facts: { portalUrl: string }): ComposedMail {
  const login = `${facts.portalUrl}/login`;
  return {
    subject: 'Có người đăng ký bằng địa chỉ email của bạn / Someone tried to sign up with your e-mail address',
    body: bilingual(
      [
        'Ai đó (có thể là chính bạn) vừa đăng ký tài khoản mới trên Cổng bằng địa chỉ email này, nhưng địa chỉ này đã có tài khoản. Không có gì thay đổi.',
        `Nếu là bạn, hãy đăng nhập bằng tài khoản hiện có: ${login}`,
        'Nếu quên mật khẩu, hãy liên hệ quản trị viên của Cổng. Nếu không phải bạn, bạn có thể bỏ qua thư này.',
      ],
      [
        'Someone (perhaps you) just tried to create a new account on the portal with this e-mail address, which already has an account. Nothing was changed.',
        `If it was you, sign in with your existing account: ${login}`,
        'If you forgot your password, contact the portal’s administrators. If it was not you, you can ignore this e-mail.',
      ],
    ),
  };
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatDateTime } from '../../core/dates.ts';
import { html, type SafeHtml } from '../../core/html.ts';
import { fill, type Locale, type Localized } from '../../core/i18n.ts';
import { EMPTY_FORM, type FormState, formView, successNotice } from '../../web/forms.ts';
import { localeOf, renderPage, sendPage, translator } from '../../web/layout.ts';
import { tag } from '../../web/tags.ts';
import type { Unit } from '../units/index.ts';
import { csrfField, headerAccountOf } from './accounts.plugin.ts';
import type { Account } from './accounts.service.ts';
import type { SessionSummary } from './auth.service.ts';
import { PASSWORD_MIN_LENGTH } from './passwords.ts';
import { type OfficerRole, TOKEN_SCOPES, type TokenScope } from './permissions.ts';
import type { ApiToken } from './tokens.service.ts';

/** Sign-in, sign-up, the account page and the administration of accounts and tokens. Work without JavaScript. */

type T = (text: Localized) => string;

const TEXT = {
  loginTitle: { vi: 'Đăng nhập', en: 'Sign in' },
  loginLead: {
    vi: 'Dành cho cán bộ các đơn vị của Bộ, doanh nghiệp đã đăng ký tài khoản và quản trị viên.',
    en: 'For officers of the Ministry’s units, businesses with an account, and administrators.',
  },
  email: { vi: 'Địa chỉ email', en: 'Email address' },
  password: { vi: 'Mật khẩu', en: 'Password' },
  signIn: { vi: 'Đăng nhập', en: 'Sign in' },
  noAccount: { vi: 'Doanh nghiệp chưa có tài khoản?', en: 'A business without an account?' },
  signUpLink: { vi: 'Đăng ký tài khoản', en: 'Create an account' },
  wrongCredentials: { vi: 'Email hoặc mật khẩu không đúng.', en: 'The email address or the password is wrong.' },
  locked: {
    vi: 'Có quá nhiều lần đăng nhập sai. Vì an toàn, việc đăng nhập tạm khóa đến {time}.',
    en: 'Too many failed attempts. For safety, signing in is locked until {time}.',
  },
  challengeExpired: {
    vi: 'Phiên đăng nhập đã hết hạn. Xin nhập lại email và mật khẩu.',
    en: 'The sign-in has expired. Please enter your email address and password again.',
  },
  wrongCode: { vi: 'Mã xác thực không đúng hoặc đã hết hạn.', en: 'The code is wrong or has expired.' },
  totpTitle: { vi: 'Xác thực hai bước', en: 'Two-step verification' },
  totpLead: {
    vi: 'Nhập mã 6 chữ số đang hiển thị trong ứng dụng xác thực trên điện thoại của bạn.',
    en: 'Enter the 6-digit code your authenticator app shows now.',
  },
  code: { vi: 'Mã xác thực', en: 'Verification code' },
  verify: { vi: 'Xác nhận', en: 'Verify' },
  alreadySignedIn: { vi: 'Bạn đang đăng nhập với tên {name}.', en: 'You are signed in as {name}.' },
  toAccount: { vi: 'Đến trang tài khoản', en: 'Go to your account' },
  passwordChanged: {
    vi: 'Đã đổi mật khẩu. Xin đăng nhập lại bằng mật khẩu mới.',
    en: 'Your password was changed. Please sign in with the new password.',
  },
  signedOutEverywhere: {
    vi: 'Đã đăng xuất khỏi mọi thiết bị.',
    en: 'You were signed out on every device.',
  },
  signupTitle: { vi: 'Đăng ký tài khoản doanh nghiệp', en: 'Create a business account' },
  signupLead: {
    vi: 'Tài khoản để thông báo website, ứng dụng bán hàng hoặc đăng ký sàn thương mại điện tử với Bộ Công Thương. Sau khi đăng ký, hãy nộp Giấy chứng nhận đăng ký doanh nghiệp để được xác minh là tài khoản của doanh nghiệp.',
    en: 'An account to notify a sales website or app, or to register an e-commerce platform, with the Ministry of Industry and Trade. Once signed up, file the enterprise registration certificate to have the account verified as the business’s.',
  },
  organisationName: { vi: 'Tên doanh nghiệp, tổ chức', en: 'Name of the business or organisation' },
  organisationHint: {
    vi: 'Như trên giấy chứng nhận đăng ký doanh nghiệp.',
    en: 'As on the business registration certificate.',
  },
  taxCode: { vi: 'Mã số doanh nghiệp (mã số thuế)', en: 'Enterprise code (tax code)' },
  taxCodeHint: {
    vi: '10 chữ số, hoặc 10 chữ số, dấu “-” và 3 chữ số của chi nhánh. Cá nhân thông báo website bán hàng: số định danh cá nhân 12 chữ số.',
    en: '10 digits, or 10 digits, “-” and a 3-digit branch number. An individual notifying a sales site: the 12-digit personal identification number.',
  },
  passwordHint: {
    vi: `Ít nhất ${PASSWORD_MIN_LENGTH} ký tự. Một cụm vài từ dễ nhớ là mật khẩu tốt.`,
    en: `At least ${PASSWORD_MIN_LENGTH} characters. A few words you remember make a good password.`,
  },
  createAccount: { vi: 'Tạo tài khoản', en: 'Create account' },
  haveAccount: { vi: 'Đã có tài khoản?', en: 'Already have an account?' },
  accountTitle: { vi: 'Tài khoản của bạn', en: 'Your account' },
  kind: { vi: 'Loại tài khoản', en: 'Account type' },
  name: { vi: 'Tên', en: 'Name' },
  unit: { vi: 'Đơn vị', en: 'Unit' },
  role: { vi: 'Vai trò', en: 'Role' },
  organisation: { vi: 'Doanh nghiệp', en: 'Business' },
  lastLogin: { vi: 'Đăng nhập gần nhất', en: 'Last sign-in' },
  totpOn: { vi: 'Đang bật', en: 'On' },
  totpOff: { vi: 'Chưa bật', en: 'Off' },
  totpExplain: {
    vi: 'Khi bật, mỗi lần đăng nhập cần thêm mã 6 chữ số từ ứng dụng xác thực (Google Authenticator, Microsoft Authenticator, FreeOTP…).',
    en: 'When on, every sign-in also needs a 6-digit code from an authenticator app (Google Authenticator, Microsoft Authenticator, FreeOTP…).',
  },
  totpStart: { vi: 'Bật xác thực hai bước', en: 'Turn on two-step verification' },
  totpSetup: {
    vi: 'Thêm tài khoản vào ứng dụng xác thực bằng khóa bí mật hoặc đường dẫn dưới đây, rồi nhập mã ứng dụng hiển thị.',
    en: 'Add the account to your authenticator app with the secret key or the link below, then enter the code the app shows.',
  },
  secretKey: { vi: 'Khóa bí mật', en: 'Secret key' },
  setupLink: { vi: 'Đường dẫn thiết lập (otpauth://)', en: 'Set-up link (otpauth://)' },
  totpConfirm: { vi: 'Xác nhận và bật', en: 'Confirm and turn on' },
  totpDisable: { vi: 'Tắt xác thực hai bước', en: 'Turn off two-step verification' },
  changePassword: { vi: 'Đổi mật khẩu', en: 'Change password' },
  currentPassword: { vi: 'Mật khẩu hiện tại', en: 'Current password' },
  newPassword: { vi: 'Mật khẩu mới', en: 'New password' },
  sessions: { vi: 'Các phiên đăng nhập', en: 'Where you are signed in' },
  device: { vi: 'Thiết bị', en: 'Device' },
  address: { vi: 'Địa chỉ IP', en: 'IP address' },
  lastSeen: { vi: 'Hoạt động gần nhất', en: 'Last active' },
  thisDevice: { vi: 'thiết bị này', en: 'this device' },
  logoutEverywhere: { vi: 'Đăng xuất khỏi mọi thiết bị', en: 'Sign out everywhere' },
  logoutEverywhereHint: {
    vi: 'Kết thúc mọi phiên đăng nhập, kể cả phiên này. Dùng khi nghi ngờ người khác đã dùng tài khoản của bạn.',
    en: 'Ends every session, this one too. Use it if you think someone else has used your account.',
  },
  adminTitle: { vi: 'Quản trị tài khoản', en: 'Accounts administration' },
  accounts: { vi: 'Tài khoản', en: 'Accounts' },
  status: { vi: 'Trạng thái', en: 'Status' },
  active: { vi: 'Đang hoạt động', en: 'Active' },
  disabled: { vi: 'Đã khóa', en: 'Disabled' },
  disable: { vi: 'Khóa', en: 'Disable' },
  enable: { vi: 'Mở khóa', en: 'Enable' },
  actions: { vi: 'Thao tác', en: 'Actions' },
  newOfficer: { vi: 'Thêm tài khoản cán bộ', en: 'Add an officer' },
  createOfficer: { vi: 'Tạo tài khoản cán bộ', en: 'Create officer account' },
  chooseUnit: { vi: '— Chọn đơn vị —', en: '— Choose a unit —' },
  officerCreated: {
    vi: 'Đã tạo tài khoản {email}. Mật khẩu ban đầu (chỉ hiển thị một lần, hãy chuyển cho cán bộ qua kênh an toàn):',
    en: 'Account {email} created. Its first password (shown once only; give it to the officer over a safe channel):',
  },
  tokens: { vi: 'Mã truy cập API của hệ thống đối tác', en: 'API tokens of partner systems' },
  tokenName: { vi: 'Tên hệ thống', en: 'System name' },
  scopes: { vi: 'Phạm vi', en: 'Scopes' },
  expires: { vi: 'Hết hạn', en: 'Expires' },
  expiresHint: {
    vi: 'Mã hết hiệu lực sau ngày này. Dạng dd/mm/yyyy, ví dụ 31/12/2026.',
    en: 'The token stops working after this day. As dd/mm/yyyy, for example 31/12/2026.',
  },
  lastUsed: { vi: 'Dùng gần nhất', en: 'Last used' },
  revoke: { vi: 'Thu hồi', en: 'Revoke' },
  newToken: { vi: 'Cấp mã truy cập mới', en: 'Issue a new token' },
  createToken: { vi: 'Cấp mã', en: 'Issue token' },
  tokenCreated: {
    vi: 'Mã truy cập của “{name}” (chỉ hiển thị một lần; hệ thống lưu bản băm, không lưu mã):',
    en: 'The token for “{name}” (shown once only; the portal stores its hash, not the token):',
  },
  tokenUse: { vi: 'Gửi kèm mỗi yêu cầu API:', en: 'Send it with every API request:' },
  none: { vi: 'Chưa có.', en: 'None yet.' },
  never: { vi: 'chưa', en: 'never' },
  tokenActive: { vi: 'Hiệu lực', en: 'Active' },
  tokenExpired: { vi: 'Hết hạn', en: 'Expired' },
  tokenRevoked: { vi: 'Đã thu hồi', en: 'Revoked' },
  totpDisableHint: {
    vi: 'Cần mật khẩu và mã hiện tại của ứng dụng để tắt.',
    en: 'Your password and the app’s current code are needed to turn it off.',
  },
  totpStartHint: {
    vi: 'Nhập mật khẩu để bắt đầu: khóa bí mật chỉ hiện một lần, ngay sau bước này.',
    en: 'Enter your password to begin: the secret key is shown once, right after this step.',
  },
  totpPending: {
    vi: 'Bạn đã bắt đầu thiết lập. Nếu đã thêm khóa vào ứng dụng, hãy nhập mã ứng dụng hiển thị và mật khẩu. Nếu chưa, hãy bắt đầu lại để nhận khóa mới.',
    en: 'You started the set-up. If you added the key to your app, enter the code it shows and your password. If not, start again to get a new key.',
  },
  totpRestart: { vi: 'Bắt đầu lại với khóa mới', en: 'Start again with a new key' },
  totpRequired: {
    vi: 'Tài khoản của bạn phải bật xác thực hai bước trước khi dùng các chức năng khác. Hãy bật ngay dưới đây; chỉ mất một phút.',
    en: 'Your account must turn on two-step verification before you can use anything else. Turn it on below; it takes a minute.',
  },
  totpEnabled: { vi: 'Đã bật xác thực hai bước.', en: 'Two-step verification is on.' },
  totpDisabled: { vi: 'Đã tắt xác thực hai bước.', en: 'Two-step verification is off.' },
  unconfirmed: {
    vi: 'Địa chỉ email này chưa được xác nhận. Chúng tôi vừa gửi một đường dẫn mới đến {email}: hãy mở nó để hoàn tất việc đăng ký, rồi đăng nhập.',
    en: 'This e-mail address is not confirmed yet. We have just sent a new link to {email}: open it to finish signing up, then sign in.',
  },
  emailConfirmed: {
    vi: 'Đã xác nhận địa chỉ email. Bây giờ bạn có thể đăng nhập.',
    en: 'Your e-mail address is confirmed. You can sign in now.',
  },
  sentTitle: { vi: 'Hãy kiểm tra hộp thư', en: 'Check your e-mail' },
  sentLead: {
    vi: 'Chúng tôi đã gửi thư đến {email}. Hãy mở đường dẫn trong thư để hoàn tất việc đăng ký; đường dẫn dùng được trong 24 giờ.',
    en: 'We sent an e-mail to {email}. Open the link in it to finish signing up; the link works for 24 hours.',
  },
  sentHint: {
    vi: 'Không thấy thư sau vài phút? Hãy xem mục thư rác, và kiểm tra lại địa chỉ email đã nhập.',
    en: 'No e-mail after a few minutes? Look in the spam folder, and check the address you typed.',
  },
  confirmTitle: { vi: 'Xác nhận địa chỉ email', en: 'Confirm your e-mail address' },
  confirmLead: {
    vi: 'Bấm “Xác nhận” để hoàn tất việc đăng ký tài khoản {email}.',
    en: 'Press “Confirm” to finish creating the account {email}.',
  },
  confirm: { vi: 'Xác nhận', en: 'Confirm' },
  startAgain: { vi: 'Đăng ký lại', en: 'Sign up again' },
  accountDisabled: { vi: 'Đã khóa tài khoản.', en: 'The account is disabled.' },
  accountEnabled: { vi: 'Đã mở khóa tài khoản.', en: 'The account is enabled.' },
  tokenRevokedDone: { vi: 'Đã thu hồi mã truy cập.', en: 'The token is revoked.' },
  unconfirmedTag: { vi: 'Chưa xác nhận email', en: 'E-mail not confirmed' },
} satisfies Record<string, Localized>;

const KIND_LABELS: Record<Account['kind'], Localized> = {
  officer: { vi: 'Cán bộ', en: 'Officer' },
  business: { vi: 'Doanh nghiệp', en: 'Business' },
  admin: { vi: 'Quản trị viên', en: 'Administrator' },
};

export const ROLE_LABELS: Record<OfficerRole, Localized> = {
  viewer: { vi: 'Xem (chỉ đọc)', en: 'Viewer (read only)' },
  officer: { vi: 'Chuyên viên', en: 'Staff officer' },
  head: { vi: 'Lãnh đạo đơn vị', en: 'Head of unit' },
};

export function page(
  request: FastifyRequest,
  reply: FastifyReply,
  title: Localized,
  path: string,
  main: (t: T, locale: Locale) => SafeHtml,
  status = 200,
) {
  const locale = localeOf(request);
  const t = translator(locale);
  return sendPage(
    reply,
    renderPage({ locale, title: t(title), path, main: main(t, locale), account: headerAccountOf(request) }),
    status,
  );
}

function hiddenNext(next: string | undefined): SafeHtml | string {
  return next ? html`<input type="hidden" name="next" value="${next}">` : '';
}

const CODE_FIELD = {
  name: 'code',
  label: TEXT.code,
  autocomplete: 'one-time-code',
  inputmode: 'numeric',
  maxlength: 8,
  required: true,
} as const;

const CURRENT_PASSWORD_FIELD = {
  name: 'current_password',
  label: TEXT.currentPassword,
  type: 'password',
  autocomplete: 'current-password',
  maxlength: 256,
  required: true,
} as const;

const NEW_PASSWORD_FIELD = {
  name: 'new_password',
  label: TEXT.newPassword,
  type: 'password',
  hint: TEXT.passwordHint,
  autocomplete: 'new-password',
  maxlength: 256,
  required: true,
} as const;

export type LoginNotice = 'password_changed' | 'signed_out_everywhere' | 'email_confirmed';

const LOGIN_NOTICES: Record<LoginNotice, Localized> = {
  password_changed: TEXT.passwordChanged,
  signed_out_everywhere: TEXT.signedOutEverywhere,
  email_confirmed: TEXT.emailConfirmed,
};

export interface LoginPageState {
  next?: string | undefined;
  /** What was typed and what went wrong (a wrong password is the form's problem, not a field's). */
  form?: FormState;
  notice?: LoginNotice | undefined;
  signedInAs?: string | undefined;
}

/** The sign-in form's problem when a step of it refused, in both languages. */
export function loginRefusalText(
  refusal: 'wrong_credentials' | 'wrong_code' | 'locked' | 'challenge_expired' | 'unconfirmed',
  details: { lockedUntil?: Date | undefined; email?: string | undefined } = {},
): Localized {
  switch (refusal) {
    case 'wrong_credentials':
      return TEXT.wrongCredentials;
    case 'wrong_code':
      return TEXT.wrongCode;
    case 'locked':
      return fill(TEXT.locked, { time: details.lockedUntil ? formatDateTime(details.lockedUntil) : '' });
    case 'challenge_expired':
      return TEXT.challengeExpired;
    case 'unconfirmed':
      return fill(TEXT.unconfirmed, { email: details.email ?? '' });
  }
}

export function renderLoginPage(request: FastifyRequest, reply: FastifyReply, state: LoginPageState, status = 200) {
  return page(
    request,
    reply,
    TEXT.loginTitle,
    '/login',
    (t) => {
      const form = formView(t, state.form);
      return html`<h1>${t(TEXT.loginTitle)}</h1>
${successNotice(t, state.notice ? LOGIN_NOTICES[state.notice] : undefined)}
${state.signedInAs ? html`<p class="notice">${t(fill(TEXT.alreadySignedIn, { name: state.signedInAs }))} <a href="/account">${t(TEXT.toAccount)}</a></p>` : ''}
<p class="lead">${t(TEXT.loginLead)}</p>
${form.summary()}
<form method="post" action="/login" novalidate>
  ${csrfField(request)}
  ${hiddenNext(state.next)}
  ${form.text({ name: 'email', label: TEXT.email, type: 'email', autocomplete: 'username', maxlength: 254, required: true })}
  ${form.text({ name: 'password', label: TEXT.password, type: 'password', autocomplete: 'current-password', maxlength: 256, required: true })}
  <button type="submit">${t(TEXT.signIn)}</button>
</form>
<h2>${t(TEXT.noAccount)}</h2>
<p><a href="/signup">${t(TEXT.signUpLink)}</a></p>`;
    },
    status,
  );
}

export function renderTotpLoginPage(
  request: FastifyRequest,
  reply: FastifyReply,
  state: { challenge: string; next?: string | undefined; form?: FormState },
  status = 200,
) {
  return page(
    request,
    reply,
    TEXT.totpTitle,
    '/login',
    (t) => {
      const form = formView(t, state.form);
      return html`<h1>${t(TEXT.totpTitle)}</h1>
<p class="lead">${t(TEXT.totpLead)}</p>
${form.summary()}
<form method="post" action="/login/totp" novalidate>
  ${csrfField(request)}
  ${hiddenNext(state.next)}
  <input type="hidden" name="challenge" value="${state.challenge}">
  ${form.text(CODE_FIELD)}
  <button type="submit">${t(TEXT.verify)}</button>
</form>`;
    },
    status,
  );
}

const SIGNUP_LABELS = {
  organisation_name: TEXT.organisationName,
  tax_code: TEXT.taxCode,
  email: TEXT.email,
  password: TEXT.password,
};

export function renderSignupPage(request: FastifyRequest, reply: FastifyReply, form: FormState, status = 200) {
  return page(
    request,
    reply,
    TEXT.signupTitle,
    '/signup',
    (t) => {
      const view = formView(t, form);
      return html`<h1>${t(TEXT.signupTitle)}</h1>
<p class="lead">${t(TEXT.signupLead)}</p>
${view.summary(SIGNUP_LABELS)}
<form method="post" action="/signup" novalidate>
  ${csrfField(request)}
  ${view.text({ name: 'organisation_name', label: TEXT.organisationName, hint: TEXT.organisationHint, autocomplete: 'organization', maxlength: 300, required: true })}
  ${view.text({ name: 'tax_code', label: TEXT.taxCode, hint: TEXT.taxCodeHint, inputmode: 'numeric', maxlength: 20, required: true })}
  ${view.text({ name: 'email', label: TEXT.email, type: 'email', autocomplete: 'email', maxlength: 254, required: true })}
  ${view.text({ name: 'password', label: TEXT.password, type: 'password', hint: TEXT.passwordHint, autocomplete: 'new-password', maxlength: 256, required: true })}
  <button type="submit">${t(TEXT.createAccount)}</button>
</form>
<p>${t(TEXT.haveAccount)} <a href="/login">${t(TEXT.signIn)}</a></p>`;
    },
    status,
  );
}

/**
 * After a sign-up, whether the address was new or had an account: the same page (the e-mail tells which), so
 * nobody learns from it which addresses have accounts.
 */
export function renderSignupSentPage(request: FastifyRequest, reply: FastifyReply, email: string) {
  return page(
    request,
    reply,
    TEXT.sentTitle,
    '/signup',
    (t) => html`<h1>${t(TEXT.sentTitle)}</h1>
<div class="notice" role="status"><p class="break-anywhere">${t(fill(TEXT.sentLead, { email }))}</p></div>
<p class="hint">${t(TEXT.sentHint)}</p>
<p>${t(TEXT.haveAccount)} <a href="/login">${t(TEXT.signIn)}</a></p>`,
  );
}

/** The page of a confirmation link: a button, so that a mail scanner opening the link confirms nothing. */
export function renderConfirmPage(
  request: FastifyRequest,
  reply: FastifyReply,
  state: { token: string; email: string | undefined; form?: FormState },
  status = 200,
) {
  return page(
    request,
    reply,
    TEXT.confirmTitle,
    '/signup/confirm',
    (t) => {
      const view = formView(t, state.form);
      if (state.email === undefined) {
        return html`<h1>${t(TEXT.confirmTitle)}</h1>
${view.summary()}
<p><a class="button" href="/signup">${t(TEXT.startAgain)}</a></p>`;
      }
      return html`<h1>${t(TEXT.confirmTitle)}</h1>
${view.summary()}
<p class="lead break-anywhere">${t(fill(TEXT.confirmLead, { email: state.email }))}</p>
<form method="post" action="/signup/confirm">
  ${csrfField(request)}
  <input type="hidden" name="token" value="${state.token}">
  <button type="submit">${t(TEXT.confirm)}</button>
</form>`;
    },
    status,
  );
}

function unitName(t: T, units: readonly Unit[], unitId: string | null): string {
  const unit = units.find((candidate) => candidate.id === unitId);
  return unit ? t({ vi: unit.name_vi, en: unit.name_en }) : (unitId ?? '—');
}

function when(t: T, iso: string | null): string {
  return iso ? formatDateTime(new Date(iso)) : t(TEXT.never);
}

/** The forms of the account page; each keeps its own state. */
export type AccountForm = 'password' | 'totpStart' | 'totpConfirm' | 'totpDisable';

export interface AccountPageState {
  account: Account;
  units: readonly Unit[];
  sessions: SessionSummary[];
  canUseTotp: boolean;
  /** The policy requires two-step verification and it is not on: the only thing this session may do. */
  mustEnrolTotp: boolean;
  /** The new secret: only in the answer to the start of enrolment, which asked for the password. */
  totpSetup?: { secret: string; uri: string } | undefined;
  forms?: Partial<Record<AccountForm, FormState>>;
  done?: 'totp_enabled' | 'totp_disabled' | undefined;
}

export function renderAccountPage(request: FastifyRequest, reply: FastifyReply, state: AccountPageState, status = 200) {
  const { account } = state;
  return page(
    request,
    reply,
    TEXT.accountTitle,
    '/account',
    (t) => {
      const passwordForm = formView(t, state.forms?.password, { idPrefix: 'password-' });
      const done =
        state.done === 'totp_enabled'
          ? TEXT.totpEnabled
          : state.done === 'totp_disabled'
            ? TEXT.totpDisabled
            : undefined;
      // A form of two-step verification posted by an account that is not offered it: its answer, above.
      const refused = state.canUseTotp
        ? undefined
        : (state.forms?.totpStart ?? state.forms?.totpConfirm ?? state.forms?.totpDisable);
      return html`<h1>${t(TEXT.accountTitle)}</h1>
${successNotice(t, done)}
${refused ? formView(t, refused).summary() : ''}
${state.mustEnrolTotp ? html`<div class="notice notice-warn" role="status"><p>${t(TEXT.totpRequired)} <a href="#totp">${t(TEXT.totpStart)}</a></p></div>` : ''}
<dl class="summary-list">
  <dt>${t(TEXT.name)}</dt><dd>${account.display_name}</dd>
  <dt>${t(TEXT.email)}</dt><dd>${account.email}</dd>
  <dt>${t(TEXT.kind)}</dt><dd>${t(KIND_LABELS[account.kind])}</dd>
  ${account.kind === 'officer' ? html`<dt>${t(TEXT.unit)}</dt><dd>${unitName(t, state.units, account.unit_id)}</dd><dt>${t(TEXT.role)}</dt><dd>${account.role ? t(ROLE_LABELS[account.role]) : '—'}</dd>` : ''}
  ${account.organisation ? html`<dt>${t(TEXT.organisation)}</dt><dd>${account.organisation.name}</dd><dt>${t(TEXT.taxCode)}</dt><dd>${account.organisation.tax_code}</dd>` : ''}
  <dt>${t(TEXT.lastLogin)}</dt><dd>${when(t, account.last_login_at)}</dd>
  ${state.canUseTotp ? html`<dt>${t(TEXT.totpTitle)}</dt><dd>${account.totp_enabled ? html`<span class="tag tag-ok">${t(TEXT.totpOn)}</span>` : html`<span class="tag tag-warn">${t(TEXT.totpOff)}</span>`}</dd>` : ''}
</dl>
${state.canUseTotp ? renderTotpSection(request, t, state) : ''}
<h2 id="password">${t(TEXT.changePassword)}</h2>
${passwordForm.summary({ current_password: TEXT.currentPassword, new_password: TEXT.newPassword })}
<form method="post" action="/account/password" novalidate>
  ${csrfField(request)}
  ${passwordForm.text(CURRENT_PASSWORD_FIELD)}
  ${passwordForm.text(NEW_PASSWORD_FIELD)}
  <button type="submit">${t(TEXT.changePassword)}</button>
</form>
<h2 id="sessions">${t(TEXT.sessions)}</h2>
<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.device)}</th><th scope="col">${t(TEXT.address)}</th><th scope="col">${t(TEXT.lastSeen)}</th></tr></thead>
  <tbody>${state.sessions.map(
    (session) => html`<tr>
    <td data-label="${t(TEXT.device)}">${describeUserAgent(session.user_agent)}${session.current ? html` <span class="tag tag-ok">${t(TEXT.thisDevice)}</span>` : ''}</td>
    <td data-label="${t(TEXT.address)}">${session.ip ?? '—'}</td>
    <td data-label="${t(TEXT.lastSeen)}">${when(t, session.last_seen_at)}</td>
  </tr>`,
  )}</tbody>
</table>
<form method="post" action="/account/logout-everywhere">
  ${csrfField(request)}
  <p class="hint">${t(TEXT.logoutEverywhereHint)}</p>
  <button type="submit" class="button-warning">${t(TEXT.logoutEverywhere)}</button>
</form>`;
    },
    status,
  );
}

const TOTP_LABELS = { code: TEXT.code, current_password: TEXT.currentPassword };

function renderTotpSection(request: FastifyRequest, t: T, state: AccountPageState): SafeHtml {
  const forms = state.forms ?? {};
  const heading = html`<h2 id="totp">${t(TEXT.totpTitle)}</h2>`;
  if (state.account.totp_enabled) {
    const disable = formView(t, forms.totpDisable, { idPrefix: 'totp-disable-' });
    return html`${heading}
${disable.summary(TOTP_LABELS)}
<form method="post" action="/account/totp/disable" novalidate>
  ${csrfField(request)}
  <p class="hint">${t(TEXT.totpDisableHint)}</p>
  ${disable.text(CODE_FIELD)}
  ${disable.text(CURRENT_PASSWORD_FIELD)}
  <button type="submit" class="button-secondary">${t(TEXT.totpDisable)}</button>
</form>`;
  }
  const start = formView(t, forms.totpStart, { idPrefix: 'totp-start-' });
  const startForm = (label: Localized, hint: Localized) => html`${start.summary(TOTP_LABELS)}
<form method="post" action="/account/totp/start" novalidate>
  ${csrfField(request)}
  ${start.text({ ...CURRENT_PASSWORD_FIELD, hint })}
  <button type="submit" class="button-secondary">${t(label)}</button>
</form>`;
  if (!state.totpSetup && !state.account.totp_pending) {
    return html`${heading}
<p>${t(TEXT.totpExplain)}</p>
${startForm(TEXT.totpStart, TEXT.totpStartHint)}`;
  }
  const confirm = formView(t, forms.totpConfirm, { idPrefix: 'totp-confirm-' });
  return html`${heading}
${
  state.totpSetup
    ? html`<p>${t(TEXT.totpSetup)}</p>
<dl class="summary-list">
  <dt>${t(TEXT.secretKey)}</dt><dd><code class="secret" data-testid="totp-secret">${state.totpSetup.secret}</code></dd>
  <dt>${t(TEXT.setupLink)}</dt><dd><a href="${state.totpSetup.uri}"><code data-testid="totp-uri">${state.totpSetup.uri}</code></a></dd>
</dl>`
    : html`<p>${t(TEXT.totpPending)}</p>`
}
${confirm.summary(TOTP_LABELS)}
<form method="post" action="/account/totp/confirm" novalidate>
  ${csrfField(request)}
  ${confirm.text(CODE_FIELD)}
  ${confirm.text(CURRENT_PASSWORD_FIELD)}
  <button type="submit">${t(TEXT.totpConfirm)}</button>
</form>
${state.totpSetup ? '' : startForm(TEXT.totpRestart, TEXT.totpStartHint)}`;
}

/** A person recognises "Chrome on Windows", not a user-agent string. */
function describeUserAgent(userAgent: string | null): string {
  if (!userAgent) return '—';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : undefined;
  const system = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : undefined;
  return browser && system ? `${browser} / ${system}` : userAgent.slice(0, 60);
}

export interface AdminPageState {
  accounts: Account[];
  tokens: ApiToken[] | undefined;
  units: readonly Unit[];
  selfId: string;
  createdOfficer?: { email: string; password: string };
  createdToken?: { name: string; token: string };
  officerForm?: FormState;
  tokenForm?: FormState;
  done?: 'account_disabled' | 'account_enabled' | 'token_revoked' | undefined;
}

const ADMIN_DONE: Record<NonNullable<AdminPageState['done']>, Localized> = {
  account_disabled: TEXT.accountDisabled,
  account_enabled: TEXT.accountEnabled,
  token_revoked: TEXT.tokenRevokedDone,
};

function tokenStatus(t: T, status: ApiToken['status']): SafeHtml {
  if (status === 'active') return tag(t, TEXT.tokenActive, 'ok', status);
  return status === 'expired' ? tag(t, TEXT.tokenExpired, 'warn', status) : tag(t, TEXT.tokenRevoked, 'bad', status);
}

export function renderAdminAccountsPage(
  request: FastifyRequest,
  reply: FastifyReply,
  state: AdminPageState,
  status = 200,
) {
  return page(
    request,
    reply,
    TEXT.adminTitle,
    '/admin/accounts',
    (t) => {
      const officer = formView(t, state.officerForm ?? EMPTY_FORM, { idPrefix: 'officer-' });
      return html`<h1>${t(TEXT.adminTitle)}</h1>
${successNotice(t, state.done ? ADMIN_DONE[state.done] : undefined)}
${
  state.createdOfficer
    ? html`<div class="notice" role="status"><p>${t(fill(TEXT.officerCreated, { email: state.createdOfficer.email }))}</p><code class="secret" data-testid="new-password">${state.createdOfficer.password}</code></div>`
    : ''
}
${
  state.createdToken
    ? html`<div class="notice" role="status"><p>${t(fill(TEXT.tokenCreated, { name: state.createdToken.name }))}</p><code class="secret" data-testid="new-token">${state.createdToken.token}</code><p>${t(TEXT.tokenUse)} <code>Authorization: Bearer ${state.createdToken.token.slice(0, 10)}…</code></p></div>`
    : ''
}
<h2 id="accounts">${t(TEXT.accounts)}</h2>
<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.email)}</th><th scope="col">${t(TEXT.kind)}</th><th scope="col">${t(TEXT.unit)} / ${t(TEXT.organisation)}</th><th scope="col">${t(TEXT.status)}</th><th scope="col">${t(TEXT.actions)}</th></tr></thead>
  <tbody>${state.accounts.map(
    (account) => html`<tr>
    <td data-label="${t(TEXT.email)}" class="address-cell">${account.email}${account.display_name !== account.email ? html`<br><span class="hint">${account.display_name}</span>` : ''}</td>
    <td data-label="${t(TEXT.kind)}"><span class="nowrap">${t(KIND_LABELS[account.kind])}</span>${account.role ? html`<br><span class="hint">${t(ROLE_LABELS[account.role])}</span>` : ''}</td>
    <td data-label="${t(TEXT.unit)}">${account.kind === 'officer' ? unitName(t, state.units, account.unit_id) : account.organisation ? `${account.organisation.name} (${account.organisation.tax_code})` : '—'}</td>
    <td data-label="${t(TEXT.status)}">${account.is_active ? html`<span class="tag tag-ok">${t(TEXT.active)}</span>` : html`<span class="tag tag-bad">${t(TEXT.disabled)}</span>`}${account.email_confirmed ? '' : html` <span class="tag tag-warn">${t(TEXT.unconfirmedTag)}</span>`}</td>
    <td data-label="${t(TEXT.actions)}">${
      account.id === state.selfId
        ? '—'
        : html`<form method="post" action="/admin/accounts/${account.id}/${account.is_active ? 'disable' : 'enable'}" class="inline-form">${csrfField(request)}<button type="submit" class="button-secondary nowrap">${t(account.is_active ? TEXT.disable : TEXT.enable)}</button></form>`
    }</td>
  </tr>`,
  )}</tbody>
</table>
<h2 id="new-officer">${t(TEXT.newOfficer)}</h2>
${officer.summary({ email: TEXT.email, display_name: TEXT.name, unit: TEXT.unit, role: TEXT.role })}
<form method="post" action="/admin/accounts/officers" novalidate>
  ${csrfField(request)}
  ${officer.text({ name: 'email', label: TEXT.email, type: 'email', maxlength: 254, required: true })}
  ${officer.text({ name: 'display_name', label: TEXT.name, maxlength: 200 })}
  ${officer.select({
    name: 'unit',
    label: TEXT.unit,
    required: true,
    placeholder: TEXT.chooseUnit,
    choices: state.units.map((unit) => ({ value: unit.id, label: { vi: unit.name_vi, en: unit.name_en } })),
  })}
  ${officer.select({
    name: 'role',
    label: TEXT.role,
    required: true,
    initial: 'officer',
    choices: (['viewer', 'officer', 'head'] as const).map((role) => ({ value: role, label: ROLE_LABELS[role] })),
  })}
  <button type="submit">${t(TEXT.createOfficer)}</button>
</form>
${state.tokens ? renderTokensSection(request, t, state.tokens, state.tokenForm ?? EMPTY_FORM) : ''}`;
    },
    status,
  );
}

/** What each scope lets a partner system do; the code is what the partner's documentation and the API name. */
const TOKEN_SCOPE_LABELS: Record<TokenScope, Localized> = {
  'check:read': { vi: 'Tra cứu tình trạng thông báo, đăng ký', en: 'Check whether a site or app is registered' },
  'declarations:write': { vi: 'Gửi tờ khai hải quan thương mại điện tử', en: 'Send customs e-commerce declarations' },
  'blocklist:read': { vi: 'Tải danh sách chặn (nhà mạng, DNS)', en: 'Download the blocklists (ISPs, DNS)' },
  'platforms:read': { vi: 'Đọc sổ đăng ký nền tảng', en: 'Read the platform register' },
  'monitor:scan': {
    vi: 'Gửi địa chỉ để giám sát rà quét và đọc kết quả',
    en: 'Queue sites for the monitor to scan, and read the answers',
  },
};

function scopeLabel(t: T, scope: string): SafeHtml {
  const label = (TOKEN_SCOPE_LABELS as Record<string, Localized | undefined>)[scope];
  return label ? html`${t(label)} <code class="nowrap">${scope}</code>` : html`<code>${scope}</code>`;
}

function renderTokensSection(request: FastifyRequest, t: T, tokens: ApiToken[], form: FormState): SafeHtml {
  const view = formView(t, form, { idPrefix: 'token-' });
  return html`<h2 id="tokens">${t(TEXT.tokens)}</h2>
${
  tokens.length === 0
    ? html`<p>${t(TEXT.none)}</p>`
    : html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.tokenName)}</th><th scope="col">${t(TEXT.scopes)}</th><th scope="col">${t(TEXT.expires)}</th><th scope="col">${t(TEXT.lastUsed)}</th><th scope="col">${t(TEXT.status)}</th><th scope="col">${t(TEXT.actions)}</th></tr></thead>
  <tbody>${tokens.map(
    (token) => html`<tr>
    <td data-label="${t(TEXT.tokenName)}">${token.name}<br><code>${token.prefix}…</code></td>
    <td data-label="${t(TEXT.scopes)}">${token.scopes.map((scope, index) => html`${index > 0 ? html`<br>` : ''}${scopeLabel(t, scope)}`)}</td>
    <td data-label="${t(TEXT.expires)}">${formatDateTime(new Date(token.expires_at))}</td>
    <td data-label="${t(TEXT.lastUsed)}">${when(t, token.last_used_at)}</td>
    <td data-label="${t(TEXT.status)}">${tokenStatus(t, token.status)}</td>
    <td data-label="${t(TEXT.actions)}">${
      token.status === 'revoked'
        ? '—'
        : html`<form method="post" action="/admin/tokens/${token.id}/revoke" class="inline-form">${csrfField(request)}<button type="submit" class="button-warning nowrap">${t(TEXT.revoke)}</button></form>`
    }</td>
  </tr>`,
  )}</tbody>
</table>`
}
<h3>${t(TEXT.newToken)}</h3>
${view.summary({ name: TEXT.tokenName, scope: TEXT.scopes, expires: TEXT.expires })}
<form method="post" action="/admin/tokens" novalidate>
  ${csrfField(request)}
  ${view.text({ name: 'name', label: TEXT.tokenName, maxlength: 200, required: true })}
  ${view.choices({
    name: 'scope',
    label: TEXT.scopes,
    multiple: true,
    choices: TOKEN_SCOPES.map((scope) => ({
      value: scope,
      label: { vi: `${TOKEN_SCOPE_LABELS[scope].vi} (${scope})`, en: `${TOKEN_SCOPE_LABELS[scope].en} (${scope})` },
    })),
  })}
  ${view.day({ name: 'expires', label: TEXT.expires, hint: TEXT.expiresHint, required: true })}
  <button type="submit">${t(TEXT.createToken)}</button>
</form>`;
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatDateTime } from '../../core/dates.ts';
import { html, type SafeHtml } from '../../core/html.ts';
import type { Locale, Localized } from '../../core/i18n.ts';
import { localeOf, renderPage, sendPage, translator } from '../../web/layout.ts';
import type { Unit } from '../units/index.ts';
import { csrfField, headerAccountOf } from './accounts.plugin.ts';
import type { Account } from './accounts.service.ts';
import type { SessionSummary } from './auth.service.ts';
import { PASSWORD_MIN_LENGTH } from './passwords.ts';
import { type OfficerRole, TOKEN_SCOPES } from './permissions.ts';
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
    vi: 'Có quá nhiều lần đăng nhập sai. Vì an toàn, việc đăng nhập tạm khoá đến {time}.',
    en: 'Too many failed attempts. For safety, signing in is locked until {time}.',
  },
  challengeExpired: {
    vi: 'Phiên đăng nhập đã hết hạn. Xin nhập lại email và mật khẩu.',
    en: 'The sign-in has expired. Please enter your email address and password again.',
  },
  wrongCode: { vi: 'Mã xác thực không đúng hoặc đã hết hạn.', en: 'The code is wrong or has expired.' },
  errorSummary: { vi: 'Có lỗi cần sửa', en: 'There is a problem' },
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
    vi: 'Tài khoản để thông báo website, ứng dụng bán hàng hoặc đăng ký sàn thương mại điện tử với Bộ Công Thương. Mỗi doanh nghiệp (mã số thuế) có một tài khoản.',
    en: 'An account to notify a sales website or app, or to register an e-commerce platform, with the Ministry of Industry and Trade. One account per business (tax code).',
  },
  organisationName: { vi: 'Tên doanh nghiệp, tổ chức', en: 'Name of the business or organisation' },
  organisationHint: {
    vi: 'Như trên giấy chứng nhận đăng ký doanh nghiệp.',
    en: 'As on the business registration certificate.',
  },
  taxCode: { vi: 'Mã số doanh nghiệp (mã số thuế)', en: 'Enterprise code (tax code)' },
  taxCodeHint: {
    vi: '10 chữ số, hoặc 10 chữ số, dấu “-” và 3 chữ số của chi nhánh.',
    en: '10 digits, or 10 digits, “-” and a 3-digit branch number.',
  },
  passwordHint: {
    vi: `Ít nhất ${PASSWORD_MIN_LENGTH} ký tự. Một cụm vài từ dễ nhớ là mật khẩu tốt.`,
    en: `At least ${PASSWORD_MIN_LENGTH} characters. A few words you remember make a good password.`,
  },
  createAccount: { vi: 'Tạo tài khoản', en: 'Create account' },
  haveAccount: { vi: 'Đã có tài khoản?', en: 'Already have an account?' },
  accountTitle: { vi: 'Tài khoản của bạn', en: 'Your account' },
  welcome: { vi: 'Đã tạo tài khoản. Chào mừng!', en: 'Your account was created. Welcome!' },
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
    vi: 'Thêm tài khoản vào ứng dụng xác thực bằng khoá bí mật hoặc đường dẫn dưới đây, rồi nhập mã ứng dụng hiển thị.',
    en: 'Add the account to your authenticator app with the secret key or the link below, then enter the code the app shows.',
  },
  secretKey: { vi: 'Khoá bí mật', en: 'Secret key' },
  setupLink: { vi: 'Đường dẫn thiết lập (otpauth://)', en: 'Set-up link (otpauth://)' },
  totpConfirm: { vi: 'Xác nhận và bật', en: 'Confirm and turn on' },
  totpDisable: { vi: 'Tắt xác thực hai bước', en: 'Turn off two-step verification' },
  totpDisableHint: { vi: 'Cần mã hiện tại để tắt.', en: 'A current code is needed to turn it off.' },
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
  disabled: { vi: 'Đã khoá', en: 'Disabled' },
  disable: { vi: 'Khoá', en: 'Disable' },
  enable: { vi: 'Mở khoá', en: 'Enable' },
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
  expiresHint: { vi: 'Mã hết hiệu lực sau ngày này.', en: 'The token stops working after this day.' },
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

/** Field errors as the pages show them: the user's language first; the English detail names the exact rule. */
const FIELD_ERRORS: Record<string, Localized> = {
  email: { vi: 'Địa chỉ email không hợp lệ hoặc đã được dùng.', en: 'The email address is not valid or is taken.' },
  password: {
    vi: `Mật khẩu phải có ít nhất ${PASSWORD_MIN_LENGTH} ký tự và khác địa chỉ email.`,
    en: `The password needs at least ${PASSWORD_MIN_LENGTH} characters and must differ from the email address.`,
  },
  new_password: {
    vi: `Mật khẩu mới phải có ít nhất ${PASSWORD_MIN_LENGTH} ký tự và khác địa chỉ email.`,
    en: `The new password needs at least ${PASSWORD_MIN_LENGTH} characters and must differ from the email address.`,
  },
  current_password: { vi: 'Mật khẩu hiện tại không đúng.', en: 'The current password is wrong.' },
  tax_code: {
    vi: 'Mã số doanh nghiệp không hợp lệ hoặc đã có tài khoản.',
    en: 'The tax code is not valid or already has an account.',
  },
  organisation_name: { vi: 'Hãy nhập tên doanh nghiệp.', en: 'Enter the name of the business.' },
  code: { vi: 'Mã xác thực không đúng hoặc đã hết hạn.', en: 'The code is wrong or has expired.' },
  unit: { vi: 'Hãy chọn một đơn vị của Bộ.', en: 'Choose one of the Ministry’s units.' },
  role: { vi: 'Hãy chọn vai trò.', en: 'Choose a role.' },
  name: { vi: 'Hãy nhập tên.', en: 'Enter a name.' },
  scope: { vi: 'Hãy chọn ít nhất một phạm vi.', en: 'Choose at least one scope.' },
  expires: {
    vi: 'Ngày hết hạn phải là một ngày trong tương lai, không quá 5 năm.',
    en: 'The expiry must be a future date, at most 5 years away.',
  },
};

export interface FormError {
  field?: string | undefined;
  message: string;
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? `{${key}}`);
}

function localizedError(t: T, locale: Locale, error: FormError): string {
  const known = error.field ? FIELD_ERRORS[error.field] : undefined;
  if (!known) return error.message;
  return locale === 'en' ? `${t(known)} (${error.message})` : t(known);
}

function errorSummary(t: T, locale: Locale, error: FormError | undefined): SafeHtml | string {
  if (!error) return '';
  const message = localizedError(t, locale, error);
  return html`<div class="error-summary" role="alert" tabindex="-1">
  <h2>${t(TEXT.errorSummary)}</h2>
  <p>${error.field ? html`<a href="#${error.field}">${message}</a>` : message}</p>
</div>`;
}

interface FieldOptions {
  name: string;
  label: Localized;
  type?: 'text' | 'email' | 'password' | 'date';
  value?: string;
  hint?: Localized;
  autocomplete?: string;
  inputmode?: 'numeric' | 'email';
  required?: boolean;
  maxlength?: number;
}

function textField(t: T, locale: Locale, options: FieldOptions, error?: FormError): SafeHtml {
  const invalid = error?.field === options.name;
  const hintId = options.hint ? `${options.name}-hint` : undefined;
  return html`<div class="form-group">
  <label for="${options.name}">${t(options.label)}</label>
  ${options.hint ? html`<p class="hint" id="${hintId}">${t(options.hint)}</p>` : ''}
  ${invalid && error ? html`<p class="field-error" id="${options.name}-error">${localizedError(t, locale, error)}</p>` : ''}
  <input type="${options.type ?? 'text'}" id="${options.name}" name="${options.name}" value="${options.value ?? ''}"${
    options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''
  }${options.inputmode ? html` inputmode="${options.inputmode}"` : ''}${options.required === false ? '' : html` required`}${
    options.maxlength ? html` maxlength="${options.maxlength}"` : ''
  }${invalid ? html` class="input-error" aria-invalid="true"` : ''}${
    hintId || invalid
      ? html` aria-describedby="${[hintId, invalid ? `${options.name}-error` : undefined].filter(Boolean).join(' ')}"`
      : ''
  }>
</div>`;
}

function page(
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

export interface LoginPageState {
  next?: string | undefined;
  email?: string;
  error?: 'wrong_credentials' | 'locked' | 'challenge_expired';
  lockedUntil?: Date | undefined;
  notice?: 'password_changed' | 'signed_out_everywhere' | undefined;
  signedInAs?: string | undefined;
}

export function renderLoginPage(request: FastifyRequest, reply: FastifyReply, state: LoginPageState, status = 200) {
  return page(
    request,
    reply,
    TEXT.loginTitle,
    '/login',
    (t, locale) => {
      const message =
        state.error === 'wrong_credentials'
          ? t(TEXT.wrongCredentials)
          : state.error === 'locked'
            ? fill(t(TEXT.locked), { time: state.lockedUntil ? formatDateTime(state.lockedUntil) : '' })
            : state.error === 'challenge_expired'
              ? t(TEXT.challengeExpired)
              : undefined;
      return html`<h1>${t(TEXT.loginTitle)}</h1>
${state.notice ? html`<p class="notice" role="status">${t(state.notice === 'password_changed' ? TEXT.passwordChanged : TEXT.signedOutEverywhere)}</p>` : ''}
${state.signedInAs ? html`<p class="notice">${fill(t(TEXT.alreadySignedIn), { name: state.signedInAs })} <a href="/account">${t(TEXT.toAccount)}</a></p>` : ''}
<p class="lead">${t(TEXT.loginLead)}</p>
${message ? html`<div class="error-summary" role="alert"><h2>${t(TEXT.errorSummary)}</h2><p>${message}</p></div>` : ''}
<form method="post" action="/login" novalidate>
  ${csrfField(request)}
  ${hiddenNext(state.next)}
  ${textField(t, locale, { name: 'email', label: TEXT.email, type: 'email', value: state.email ?? '', autocomplete: 'username', maxlength: 254 })}
  ${textField(t, locale, { name: 'password', label: TEXT.password, type: 'password', autocomplete: 'current-password', maxlength: 256 })}
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
  state: { challenge: string; next?: string | undefined; wrongCode?: boolean },
  status = 200,
) {
  return page(
    request,
    reply,
    TEXT.totpTitle,
    '/login',
    (t, locale) => html`<h1>${t(TEXT.totpTitle)}</h1>
<p class="lead">${t(TEXT.totpLead)}</p>
${state.wrongCode ? html`<div class="error-summary" role="alert"><h2>${t(TEXT.errorSummary)}</h2><p><a href="#code">${t(TEXT.wrongCode)}</a></p></div>` : ''}
<form method="post" action="/login/totp" novalidate>
  ${csrfField(request)}
  ${hiddenNext(state.next)}
  <input type="hidden" name="challenge" value="${state.challenge}">
  ${textField(t, locale, { name: 'code', label: TEXT.code, autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 8 })}
  <button type="submit">${t(TEXT.verify)}</button>
</form>`,
    status,
  );
}

export interface SignupPageState {
  values?: { organisation_name?: string; tax_code?: string; email?: string };
  error?: FormError;
}

export function renderSignupPage(request: FastifyRequest, reply: FastifyReply, state: SignupPageState, status = 200) {
  const values = state.values ?? {};
  return page(
    request,
    reply,
    TEXT.signupTitle,
    '/signup',
    (t, locale) => html`<h1>${t(TEXT.signupTitle)}</h1>
<p class="lead">${t(TEXT.signupLead)}</p>
${errorSummary(t, locale, state.error)}
<form method="post" action="/signup" novalidate>
  ${csrfField(request)}
  ${textField(t, locale, { name: 'organisation_name', label: TEXT.organisationName, hint: TEXT.organisationHint, value: values.organisation_name ?? '', autocomplete: 'organization', maxlength: 300 }, state.error)}
  ${textField(t, locale, { name: 'tax_code', label: TEXT.taxCode, hint: TEXT.taxCodeHint, value: values.tax_code ?? '', inputmode: 'numeric', maxlength: 20 }, state.error)}
  ${textField(t, locale, { name: 'email', label: TEXT.email, type: 'email', value: values.email ?? '', autocomplete: 'email', maxlength: 254 }, state.error)}
  ${textField(t, locale, { name: 'password', label: TEXT.password, type: 'password', hint: TEXT.passwordHint, autocomplete: 'new-password', maxlength: 256 }, state.error)}
  <button type="submit">${t(TEXT.createAccount)}</button>
</form>
<p>${t(TEXT.haveAccount)} <a href="/login">${t(TEXT.signIn)}</a></p>`,
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

export interface AccountPageState {
  account: Account;
  units: readonly Unit[];
  sessions: SessionSummary[];
  canUseTotp: boolean;
  pendingTotp?: { secret: string; uri: string } | undefined;
  welcome?: boolean;
  error?: FormError;
}

export function renderAccountPage(request: FastifyRequest, reply: FastifyReply, state: AccountPageState, status = 200) {
  const { account } = state;
  return page(
    request,
    reply,
    TEXT.accountTitle,
    '/account',
    (t, locale) => html`<h1>${t(TEXT.accountTitle)}</h1>
${state.welcome ? html`<p class="notice" role="status">${t(TEXT.welcome)}</p>` : ''}
${errorSummary(t, locale, state.error)}
<dl class="summary-list">
  <dt>${t(TEXT.name)}</dt><dd>${account.display_name}</dd>
  <dt>${t(TEXT.email)}</dt><dd>${account.email}</dd>
  <dt>${t(TEXT.kind)}</dt><dd>${t(KIND_LABELS[account.kind])}</dd>
  ${account.kind === 'officer' ? html`<dt>${t(TEXT.unit)}</dt><dd>${unitName(t, state.units, account.unit_id)}</dd><dt>${t(TEXT.role)}</dt><dd>${account.role ? t(ROLE_LABELS[account.role]) : '—'}</dd>` : ''}
  ${account.organisation ? html`<dt>${t(TEXT.organisation)}</dt><dd>${account.organisation.name}</dd><dt>${t(TEXT.taxCode)}</dt><dd>${account.organisation.tax_code}</dd>` : ''}
  <dt>${t(TEXT.lastLogin)}</dt><dd>${when(t, account.last_login_at)}</dd>
  ${state.canUseTotp ? html`<dt>${t(TEXT.totpTitle)}</dt><dd>${account.totp_enabled ? html`<span class="tag tag-ok">${t(TEXT.totpOn)}</span>` : html`<span class="tag tag-warn">${t(TEXT.totpOff)}</span>`}</dd>` : ''}
</dl>
${state.canUseTotp ? renderTotpSection(request, t, locale, state) : ''}
<h2 id="password">${t(TEXT.changePassword)}</h2>
<form method="post" action="/account/password" novalidate>
  ${csrfField(request)}
  ${textField(t, locale, { name: 'current_password', label: TEXT.currentPassword, type: 'password', autocomplete: 'current-password', maxlength: 256 }, state.error)}
  ${textField(t, locale, { name: 'new_password', label: TEXT.newPassword, type: 'password', hint: TEXT.passwordHint, autocomplete: 'new-password', maxlength: 256 }, state.error)}
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
</form>`,
    status,
  );
}

function renderTotpSection(request: FastifyRequest, t: T, locale: Locale, state: AccountPageState): SafeHtml {
  const codeError = state.error?.field === 'code' ? state.error : undefined;
  if (state.account.totp_enabled) {
    return html`<h2 id="totp">${t(TEXT.totpTitle)}</h2>
<form method="post" action="/account/totp/disable" novalidate>
  ${csrfField(request)}
  <p class="hint">${t(TEXT.totpDisableHint)}</p>
  ${textField(t, locale, { name: 'code', label: TEXT.code, autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 8 }, codeError)}
  <button type="submit" class="button-secondary">${t(TEXT.totpDisable)}</button>
</form>`;
  }
  if (state.pendingTotp) {
    return html`<h2 id="totp">${t(TEXT.totpTitle)}</h2>
<p>${t(TEXT.totpSetup)}</p>
<dl class="summary-list">
  <dt>${t(TEXT.secretKey)}</dt><dd><code class="secret" data-testid="totp-secret">${state.pendingTotp.secret}</code></dd>
  <dt>${t(TEXT.setupLink)}</dt><dd><a href="${state.pendingTotp.uri}"><code data-testid="totp-uri">${state.pendingTotp.uri}</code></a></dd>
</dl>
<form method="post" action="/account/totp/confirm" novalidate>
  ${csrfField(request)}
  ${textField(t, locale, { name: 'code', label: TEXT.code, autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 8 }, codeError)}
  <button type="submit">${t(TEXT.totpConfirm)}</button>
</form>`;
  }
  return html`<h2 id="totp">${t(TEXT.totpTitle)}</h2>
<p>${t(TEXT.totpExplain)}</p>
<form method="post" action="/account/totp/start">
  ${csrfField(request)}
  <button type="submit" class="button-secondary">${t(TEXT.totpStart)}</button>
</form>`;
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
  officerForm?: { values: Record<string, string>; error?: FormError };
  tokenForm?: { values: { name?: string; expires?: string; scope?: string[] }; error?: FormError };
}

function tokenStatus(t: T, status: ApiToken['status']): SafeHtml {
  const [tone, label] =
    status === 'active'
      ? ['ok', TEXT.tokenActive]
      : status === 'expired'
        ? ['warn', TEXT.tokenExpired]
        : ['bad', TEXT.tokenRevoked];
  return html`<span class="tag tag-${tone}">${t(label)}</span>`;
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
    (t, locale) => {
      const officerValues = state.officerForm?.values ?? {};
      const tokenValues = state.tokenForm?.values ?? {};
      const chosenScopes = new Set(tokenValues.scope ?? []);
      return html`<h1>${t(TEXT.adminTitle)}</h1>
${
  state.createdOfficer
    ? html`<div class="notice" role="status"><p>${fill(t(TEXT.officerCreated), { email: state.createdOfficer.email })}</p><code class="secret" data-testid="new-password">${state.createdOfficer.password}</code></div>`
    : ''
}
${
  state.createdToken
    ? html`<div class="notice" role="status"><p>${fill(t(TEXT.tokenCreated), { name: state.createdToken.name })}</p><code class="secret" data-testid="new-token">${state.createdToken.token}</code><p>${t(TEXT.tokenUse)} <code>Authorization: Bearer ${state.createdToken.token.slice(0, 10)}…</code></p></div>`
    : ''
}
<h2 id="accounts">${t(TEXT.accounts)}</h2>
<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.email)}</th><th scope="col">${t(TEXT.kind)}</th><th scope="col">${t(TEXT.unit)} / ${t(TEXT.organisation)}</th><th scope="col">${t(TEXT.status)}</th><th scope="col">${t(TEXT.actions)}</th></tr></thead>
  <tbody>${state.accounts.map(
    (account) => html`<tr>
    <td data-label="${t(TEXT.email)}">${account.email}${account.display_name !== account.email ? html`<br><span class="hint">${account.display_name}</span>` : ''}</td>
    <td data-label="${t(TEXT.kind)}"><span class="nowrap">${t(KIND_LABELS[account.kind])}</span>${account.role ? html`<br><span class="hint">${t(ROLE_LABELS[account.role])}</span>` : ''}</td>
    <td data-label="${t(TEXT.unit)}">${account.kind === 'officer' ? unitName(t, state.units, account.unit_id) : account.organisation ? `${account.organisation.name} (${account.organisation.tax_code})` : '—'}</td>
    <td data-label="${t(TEXT.status)}">${account.is_active ? html`<span class="tag tag-ok">${t(TEXT.active)}</span>` : html`<span class="tag tag-bad">${t(TEXT.disabled)}</span>`}</td>
    <td data-label="${t(TEXT.actions)}">${
      account.id === state.selfId
        ? '—'
        : html`<form method="post" action="/admin/accounts/${account.id}/${account.is_active ? 'disable' : 'enable'}" class="inline-form">${csrfField(request)}<button type="submit" class="button-secondary nowrap">${t(account.is_active ? TEXT.disable : TEXT.enable)}</button></form>`
    }</td>
  </tr>`,
  )}</tbody>
</table>
<h2 id="new-officer">${t(TEXT.newOfficer)}</h2>
${errorSummary(t, locale, state.officerForm?.error)}
<form method="post" action="/admin/accounts/officers" novalidate>
  ${csrfField(request)}
  ${textField(t, locale, { name: 'email', label: TEXT.email, type: 'email', value: officerValues.email ?? '', maxlength: 254 }, state.officerForm?.error)}
  ${textField(t, locale, { name: 'display_name', label: TEXT.name, value: officerValues.display_name ?? '', maxlength: 200, required: false }, state.officerForm?.error)}
  <div class="form-group">
    <label for="unit">${t(TEXT.unit)}</label>
    <select id="unit" name="unit_id" required>
      <option value="">${t(TEXT.chooseUnit)}</option>
      ${state.units.map((unit) => html`<option value="${unit.id}"${officerValues.unit_id === unit.id ? html` selected` : ''}>${t({ vi: unit.name_vi, en: unit.name_en })}</option>`)}
    </select>
  </div>
  <div class="form-group">
    <label for="role">${t(TEXT.role)}</label>
    <select id="role" name="role" required>
      ${(['viewer', 'officer', 'head'] as const).map((role) => html`<option value="${role}"${(officerValues.role ?? 'officer') === role ? html` selected` : ''}>${t(ROLE_LABELS[role])}</option>`)}
    </select>
  </div>
  <button type="submit">${t(TEXT.createOfficer)}</button>
</form>
${state.tokens ? renderTokensSection(request, t, locale, state.tokens, tokenValues, chosenScopes, state.tokenForm?.error) : ''}`;
    },
    status,
  );
}

function renderTokensSection(
  request: FastifyRequest,
  t: T,
  locale: Locale,
  tokens: ApiToken[],
  values: { name?: string; expires?: string },
  chosenScopes: Set<string>,
  error: FormError | undefined,
): SafeHtml {
  return html`<h2 id="tokens">${t(TEXT.tokens)}</h2>
${
  tokens.length === 0
    ? html`<p>${t(TEXT.none)}</p>`
    : html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.tokenName)}</th><th scope="col">${t(TEXT.scopes)}</th><th scope="col">${t(TEXT.expires)}</th><th scope="col">${t(TEXT.lastUsed)}</th><th scope="col">${t(TEXT.status)}</th><th scope="col">${t(TEXT.actions)}</th></tr></thead>
  <tbody>${tokens.map(
    (token) => html`<tr>
    <td data-label="${t(TEXT.tokenName)}">${token.name}<br><code>${token.prefix}…</code></td>
    <td data-label="${t(TEXT.scopes)}">${token.scopes.join(', ')}</td>
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
${errorSummary(t, locale, error)}
<form method="post" action="/admin/tokens" novalidate>
  ${csrfField(request)}
  ${textField(t, locale, { name: 'name', label: TEXT.tokenName, value: values.name ?? '', maxlength: 200 }, error)}
  <fieldset class="form-group checkboxes" id="scope">
    <legend><strong>${t(TEXT.scopes)}</strong></legend>
    ${TOKEN_SCOPES.map((scope) => html`<label><input type="checkbox" name="scope" value="${scope}"${chosenScopes.has(scope) ? html` checked` : ''}> <code>${scope}</code></label>`)}
  </fieldset>
  ${textField(t, locale, { name: 'expires', label: TEXT.expires, type: 'date', hint: TEXT.expiresHint, value: values.expires ?? '' }, error)}
  <button type="submit">${t(TEXT.createToken)}</button>
</form>`;
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError, issueMessageEn } from '../../core/errors.ts';
import { type ApplicationForm, normalizePhone, parseApplicationForm } from './applications.schemas.ts';

function buildForm(overrides: ApplicationForm = {}): ApplicationForm {
  return {
    kind: 'sales',
    site_name: 'Nhà Sách Bình Minh',
    org_name: 'Công ty CP Bình Minh',
    tax_code: '0309532909',
    country: 'VN',
    head_office_address: '12 Lê Lợi, Quận 1, TP Hồ Chí Minh',
    responsible_person: 'Trần Thị Bình',
    responsible_phone: '0912 345 678',
    contact_email: 'Binh@Example.vn',
    primary_domain: 'https://www.nhasach-binhminh.vn/gioi-thieu',
    other_domains: 'nhasachbinhminh.com.vn\nNHASACH-BM.vn',
    android_apps: 'https://play.google.com/store/apps/details?id=vn.binhminh.app',
    ios_apps: 'https://apps.apple.com/vn/app/binh-minh/id1234567890',
    goods_categories: 'Sách, báo\nVăn phòng phẩm',
    ...overrides,
  };
}

function issuesOf(form: ApplicationForm): Array<[string, string]> {
  try {
    parseApplicationForm(form);
  } catch (error) {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'invalid_input');
    return error.issues.map((issue) => [issue.field ?? '', issueMessageEn(issue)]);
  }
  assert.fail('expected the form to be refused');
}

describe('the filing form (applicationFormSchema)', () => {
  it('normalises a notification of a sales site: hosts, apps, e-mail, phone', () => {
    const input = parseApplicationForm(buildForm());
    assert.equal(input.kind, 'sales');
    assert.equal(input.lawType, 'direct_sales');
    assert.deepEqual(input.domains, ['nhasach-binhminh.vn', 'nhasachbinhminh.com.vn', 'nhasach-bm.vn']);
    assert.deepEqual(input.androidApps, ['vn.binhminh.app']);
    assert.deepEqual(input.iosApps, ['1234567890']);
    assert.equal(input.contactEmail, 'binh@example.vn');
    assert.equal(input.responsiblePhone, '0912345678');
    assert.deepEqual(input.goodsCategories, ['Sách, báo', 'Văn phòng phẩm']);
    assert.equal(input.crossBorder, false);
    assert.equal(input.vnRepresentative, null);
  });

  it('maps each kind to the platform type of Law 122/2025/QH15', () => {
    assert.equal(parseApplicationForm(buildForm({ kind: 'marketplace' })).lawType, 'intermediary');
    assert.equal(parseApplicationForm(buildForm({ kind: 'auction' })).lawType, 'intermediary');
    assert.equal(parseApplicationForm(buildForm({ kind: 'social' })).lawType, 'social_commerce');
    assert.equal(parseApplicationForm(buildForm({ kind: 'integrated' })).lawType, 'integrated');
  });

  it('lists every problem at once, each with its field', () => {
    const issues = issuesOf(
      buildForm({
        kind: 'shop',
        site_name: '',
        tax_code: '0309532901',
        primary_domain: '',
        other_domains: 'shop..vn, 10.0.0.1',
        responsible_phone: '12',
        contact_email: 'nobody',
        goods_categories: ' \n ',
      }),
    );
    assert.deepEqual(
      issues.map(([field]) => field),
      [
        'kind',
        'site_name',
        'tax_code',
        'responsible_phone',
        'contact_email',
        'primary_domain',
        'other_domains',
        'other_domains',
        'goods_categories',
      ],
    );
    assert.match(issues.find(([field]) => field === 'tax_code')?.[1] ?? '', /fails the checksum/);
  });

  it('refuses a domain listed twice, an IP address and an unknown top-level domain', () => {
    const issues = issuesOf(buildForm({ other_domains: 'www.nhasach-binhminh.vn 203.113.1.1 shop.vnn' }));
    assert.deepEqual(issues, [
      ['other_domains', 'nhasach-binhminh.vn is listed twice'],
      ['other_domains', '203.113.1.1 is an IP address, not a domain name'],
      ['other_domains', 'shop.vnn does not end in a known top-level domain'],
    ]);
  });

  it('requires a tax code for an organisation in Vietnam but not for one abroad', () => {
    assert.deepEqual(
      issuesOf(buildForm({ tax_code: '' })).map(([field]) => field),
      ['tax_code'],
    );
    const foreign = parseApplicationForm(
      buildForm({
        kind: 'marketplace',
        tax_code: '',
        country: 'sg',
        vn_representative_kind: 'representative_office',
        vn_representative_name: 'Văn phòng đại diện Đại Diện Pte tại Hà Nội',
        vn_representative_tax_code: '0101243150',
        vn_representative_address: '5 Tràng Tiền, Hà Nội',
        foreign_grounds: ['vietnamese_language', 'vn_transactions'],
      }),
    );
    assert.equal(foreign.crossBorder, true);
    assert.equal(foreign.country, 'SG');
    assert.equal(foreign.taxCode, null);
    assert.deepEqual(foreign.vnRepresentative, {
      kind: 'representative_office',
      name: 'Văn phòng đại diện Đại Diện Pte tại Hà Nội',
      taxCode: '0101243150',
      address: '5 Tràng Tiền, Hà Nội',
    });
    assert.deepEqual(foreign.foreignGrounds, ['vietnamese_language', 'vn_transactions']);
  });

  it('requires a foreign platform to name its legal entity in Vietnam, its tax code and a ground (issue 10)', () => {
    const issues = issuesOf(buildForm({ kind: 'marketplace', tax_code: '', country: 'CN' }));
    assert.deepEqual(
      issues.map(([field]) => field),
      [
        'vn_representative_kind',
        'vn_representative_name',
        'vn_representative_tax_code',
        'vn_representative_address',
        'foreign_grounds',
      ],
    );
    // A natural person authorised to represent is no longer a representative in Vietnam.
    const person = issuesOf(
      buildForm({
        country: 'CN',
        vn_representative_kind: 'authorised_representative',
        vn_representative_name: 'Nguyễn Văn Đại Diện',
        vn_representative_tax_code: '0101243150',
        vn_representative_address: 'Hà Nội',
        foreign_grounds: 'vn_domain',
      }),
    );
    assert.deepEqual(
      person.map(([field]) => field),
      ['vn_representative_kind'],
    );
    const badCode = issuesOf(
      buildForm({
        country: 'CN',
        vn_representative_kind: 'legal_entity',
        vn_representative_name: 'Công ty TNHH Đại Diện',
        vn_representative_tax_code: '0101243151',
        vn_representative_address: 'Hà Nội',
        foreign_grounds: 'vn_domain',
      }),
    );
    assert.deepEqual(
      badCode.map(([field]) => field),
      ['vn_representative_tax_code'],
    );
    assert.match(badCode[0]?.[1] ?? '', /fails the checksum/);
    const withEntity = issuesOf(
      buildForm({
        country: 'CN',
        vn_representative_kind: 'legal_entity',
        vn_representative_name: 'Công ty TNHH Chi nhánh VN',
        vn_representative_address: 'Hà Nội',
        foreign_grounds: 'vn_domain',
      }),
    );
    assert.deepEqual(
      withEntity.map(([field]) => field),
      ['vn_representative_tax_code'],
    );
  });

  it('accepts an individual notifying a sales site with the 12-digit personal number, and nothing else (issue 10)', () => {
    const individual = parseApplicationForm(
      buildForm({ applicant_kind: 'individual', org_name: 'Nguyễn Thị Hoa', tax_code: '079 190 012 345' }),
    );
    assert.equal(individual.applicantKind, 'individual');
    assert.equal(individual.taxCode, '079190012345');
    // A bad personal number is refused on its field.
    assert.deepEqual(
      issuesOf(buildForm({ applicant_kind: 'individual', tax_code: '07919001234' })).map(([field]) => field),
      ['tax_code'],
    );
    assert.match(
      issuesOf(buildForm({ applicant_kind: 'individual', tax_code: '000190012345' }))[0]?.[1] ?? '',
      /cannot be 000/,
    );
    assert.match(
      issuesOf(buildForm({ applicant_kind: 'individual', tax_code: '079590012345' }))[0]?.[1] ?? '',
      /2100 or later/,
    );
    // An individual gives the personal number, not an enterprise code, and only for a sales site in Vietnam.
    assert.deepEqual(
      issuesOf(buildForm({ applicant_kind: 'individual', tax_code: '0309532909' })).map(([field]) => field),
      ['tax_code'],
    );
    assert.deepEqual(
      issuesOf(buildForm({ applicant_kind: 'individual', kind: 'marketplace', tax_code: '079190012345' })).map(
        ([field]) => field,
      ),
      ['kind'],
    );
    // An organisation cannot file with a personal number.
    assert.deepEqual(
      issuesOf(buildForm({ tax_code: '079190012345' })).map(([field]) => field),
      ['tax_code'],
    );
  });

  it('refuses a representative for an organisation in Vietnam', () => {
    assert.deepEqual(
      issuesOf(buildForm({ vn_representative_name: 'X' })).map(([field]) => field),
      ['vn_representative_name'],
    );
  });

  it('refuses names a spreadsheet would run as formulas', () => {
    assert.deepEqual(
      issuesOf(buildForm({ site_name: '=HYPERLINK("x")' })).map(([field]) => field),
      ['site_name'],
    );
  });

  it('gives every problem in Vietnamese too', () => {
    try {
      parseApplicationForm(buildForm({ primary_domain: '' }));
      assert.fail('expected an error');
    } catch (error) {
      assert.ok(error instanceof AppError);
      assert.equal(error.issues[0]?.message.vi, 'Chưa điền mục này.');
      assert.match(error.text.vi, /Hồ sơ có 1 lỗi/);
    }
  });
});

describe('normalizePhone', () => {
  it('folds the common spellings of a Vietnamese number', () => {
    for (const spelling of ['0912 345 678', '+84 912-345-678', '(+84) 912.345.678', '84912345678']) {
      assert.equal(normalizePhone(spelling), '0912345678', spelling);
    }
    assert.equal(normalizePhone('024 3825 1234'), '02438251234');
  });

  it('keeps a foreign number with its country code and refuses what is not a number', () => {
    assert.equal(normalizePhone('+65 6123 4567'), '+6561234567');
    assert.equal(normalizePhone('12345'), undefined);
    assert.equal(normalizePhone('call me'), undefined);
  });
});

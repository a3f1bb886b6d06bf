import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import { issueText } from '../../../test/support/errors.ts';
import { isCalendarDate } from '../../core/dates.ts';
import type { FieldIssue } from '../../core/errors.ts';
import {
  formatRegistryCsv,
  lawTypeForKind,
  normalizeAndroidAppId,
  normalizeIosAppId,
  PLATFORM_KINDS,
  parseLegacyId,
  parseRegistryCsv,
  type RegistryCsvChunk,
  type RegistryRow,
  readRegistryCsv,
  registryCsvError,
  splitSimpleQuotedLine,
  streamRegistryCsv,
} from './registry.csv.ts';

const HEADER =
  'registration_no,name,kind,status,cross_border,domains,android_apps,ios_apps,org_name,tax_code,valid_until,legacy_id';

interface RowFields {
  registration_no: string;
  name: string;
  kind: string;
  status: string;
  cross_border: string;
  domains: string;
  android_apps: string;
  ios_apps: string;
  org_name: string;
  tax_code: string;
  valid_until: string;
  legacy_id: string;
}

const BASE: RowFields = {
  registration_no: 'TB-2024-00001',
  name: 'Cửa hàng Mẫu',
  kind: 'sales',
  status: 'notified',
  cross_border: 'false',
  domains: 'cuahangmau.vn',
  android_apps: '',
  ios_apps: '',
  org_name: 'Công ty TNHH Cửa Hàng Mẫu',
  tax_code: '0106773786',
  valid_until: '',
  legacy_id: '',
};

/** One CSV line from a row that differs from BASE by `overrides` (fields are quoted when needed). */
function line(overrides: Partial<RowFields> = {}): string {
  const fields = { ...BASE, ...overrides };
  return Object.values(fields)
    .map((value) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value))
    .join(',');
}

function csv(...lines: string[]): string {
  return `${[HEADER, ...lines].join('\n')}\n`;
}

/** Issues with their English text, as the API and the CLI report them. */
type EnglishIssue = Omit<FieldIssue, 'message'> & { message: string };

function inEnglish(issues: readonly FieldIssue[]): EnglishIssue[] {
  return issues.map((issue) => ({ ...issue, message: issueText(issue) }));
}

async function issuesOf(text: string): Promise<EnglishIssue[]> {
  return inEnglish((await parseRegistryCsv(text)).issues);
}

/** The single issue a one-row file has, checked for its line and field. */
async function onlyIssue(overrides: Partial<RowFields>, field: string): Promise<string> {
  const issues = await issuesOf(csv(line(overrides)));
  assert.equal(issues.length, 1, JSON.stringify(issues));
  assert.equal(issues[0]?.line, 2);
  assert.equal(issues[0]?.field, field);
  return issueText(issues[0]);
}

async function onlyRow(overrides: Partial<RowFields>): Promise<RegistryRow> {
  const result = await parseRegistryCsv(csv(line(overrides)));
  assert.deepEqual(result.issues, []);
  assert.equal(result.rows.length, 1);
  return result.rows[0] as RegistryRow;
}

describe('parseRegistryCsv: a valid file', () => {
  it('reads every field of a complete row into its normalised form', async () => {
    const result = await parseRegistryCsv(
      csv(
        line({
          registration_no: 'tb-2024-00001',
          kind: 'Marketplace',
          status: 'REGISTERED',
          cross_border: 'TRUE',
          domains: 'https://www.CuaHangMau.vn/gio-hang?x=1|shop.cuahangmau.vn',
          android_apps: 'vn.cuahangmau.app',
          ios_apps: '1234567890',
          tax_code: '0101243150 - 001',
          valid_until: '2027-12-31',
          legacy_id: 'WebDetails/12345',
        }),
      ),
    );
    assert.deepEqual(result.issues, []);
    assert.equal(result.issueCount, 0);
    assert.equal(result.rowCount, 1);
    assert.deepEqual(result.rows, [
      {
        line: 2,
        registrationNo: 'TB-2024-00001',
        name: 'Cửa hàng Mẫu',
        kind: 'marketplace',
        status: 'registered',
        crossBorder: true,
        domains: ['cuahangmau.vn', 'shop.cuahangmau.vn'],
        androidApps: ['vn.cuahangmau.app'],
        iosApps: ['1234567890'],
        orgName: 'Công ty TNHH Cửa Hàng Mẫu',
        taxCode: '0101243150-001',
        validUntil: '2027-12-31',
        legacyId: 'WebDetails/12345',
      },
    ]);
  });

  it('turns empty optional fields into null and empty lists', async () => {
    const row = await onlyRow({ status: 'pending', registration_no: '', domains: '', org_name: '', tax_code: '' });
    assert.equal(row.registrationNo, null);
    assert.deepEqual(row.domains, []);
    assert.equal(row.orgName, null);
    assert.equal(row.taxCode, null);
    assert.equal(row.validUntil, null);
    assert.equal(row.legacyId, null);
  });

  it('accepts a UTF-8 byte order mark before the header, in text and in bytes', async () => {
    const text = `\ufeff${csv(line())}`;
    for (const input of [
      text,
      Buffer.from(text),
      Readable.from([Buffer.from(text).subarray(0, 2), Buffer.from(text).subarray(2)]),
    ]) {
      const result = await parseRegistryCsv(input);
      assert.deepEqual(result.issues, []);
      assert.equal(result.rows.length, 1);
    }
  });

  it('accepts a file without the optional legacy_id column', async () => {
    const text = `${HEADER.replace(',legacy_id', '')}\n${line().replace(/,$/, '')}\n`;
    const result = await parseRegistryCsv(text);
    assert.deepEqual(result.issues, []);
    assert.equal(result.rows[0]?.legacyId, null);
  });

  it('accepts the columns in any order', async () => {
    const columns = HEADER.split(',').reverse();
    const values = line().split(',').reverse();
    const result = await parseRegistryCsv(`${columns.join(',')}\n${values.join(',')}\n`);
    assert.deepEqual(result.issues, []);
    assert.equal(result.rows[0]?.name, 'Cửa hàng Mẫu');
    assert.deepEqual(result.rows[0]?.domains, ['cuahangmau.vn']);
  });

  it('ignores empty lines, trailing empty lines and all-blank records, and numbers lines as in the file', async () => {
    const text = `${HEADER}\n\n${line()}\n\n,,,,,,,,,,,\n${line({ registration_no: 'TB-2', domains: 'b.vn', name: '' })}\n\n\n`;
    const result = await parseRegistryCsv(text);
    assert.equal(result.rowCount, 2);
    assert.equal(result.rows[0]?.line, 3);
    assert.deepEqual(inEnglish(result.issues), [{ line: 6, field: 'name', message: 'name is empty' }]);
  });

  it('reports the line a row starts on when an earlier field spans lines', async () => {
    const text = csv(
      line({ org_name: 'Công ty\nHai Dòng' }),
      line({ registration_no: 'TB-2', domains: 'b.vn', tax_code: '', kind: 'x' }),
    );
    const issues = await issuesOf(text);
    assert.deepEqual(
      issues.map((issue) => [issue.line, issue.field]),
      [
        [2, 'org_name'],
        [4, 'kind'],
      ],
    );
  });

  it('normalises names to NFC and trims them', async () => {
    const decomposed = '  Cửa hàng Mẫu  '.normalize('NFD');
    const row = await onlyRow({ name: decomposed, org_name: decomposed });
    assert.equal(row.name, 'Cửa hàng Mẫu');
    assert.equal(row.orgName, 'Cửa hàng Mẫu');
  });
});

describe('parseRegistryCsv: CSV syntax', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks among plain lines', async () => {
    const text = csv(
      line({ registration_no: 'TB-1', domains: 'a.vn' }),
      line({ registration_no: 'TB-2', domains: 'b.vn', name: 'Cửa hàng "Số 1", Hà Nội' }),
      line({ registration_no: 'TB-3', domains: 'c.vn' }),
    );
    const result = await parseRegistryCsv(text);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.rows.map((row) => [row.line, row.name]),
      [
        [2, 'Cửa hàng Mẫu'],
        [3, 'Cửa hàng "Số 1", Hà Nội'],
        [4, 'Cửa hàng Mẫu'],
      ],
    );
  });

  it('checks rows in file order whether or not they are quoted', async () => {
    const issues = await issuesOf(
      csv(line({ name: 'Quoted, first' }), line({ registration_no: 'TB-2' }), line({ name: '"Quoted" again' })),
    );
    assert.deepEqual(
      issues.map((issue) => [issue.line, issue.message]),
      [
        [3, 'domain cuahangmau.vn is also listed on line 2'],
        [4, 'registration_no TB-2024-00001 is also listed on line 2'],
        [4, 'domain cuahangmau.vn is also listed on line 2'],
      ],
    );
  });

  it('accepts CRLF line endings', async () => {
    const result = await parseRegistryCsv(
      csv(line(), line({ registration_no: 'TB-2', domains: 'b.vn', name: 'A, B' })).replaceAll('\n', '\r\n'),
    );
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.rows.map((row) => [row.line, row.name, row.legacyId]),
      [
        [2, 'Cửa hàng Mẫu', null],
        [3, 'A, B', null],
      ],
    );
  });

  it('reports a stray quote and goes on with the next rows', async () => {
    const result = await parseRegistryCsv(
      csv(line(), 'TB-2,Cửa "hàng",sales,notified,false,b.vn,,,,,,', line({ registration_no: 'TB-3', kind: 'x' })),
    );
    assert.deepEqual(
      result.issues.map((issue) => [issue.line, issue.field]),
      [
        [3, undefined],
        [4, 'kind'],
        [4, 'domains'],
      ],
    );
    assert.match(issueText(result.issues[0]), /^CSV syntax error: a field contains a quote/);
  });

  it('reports a quoted field that is never closed, naming the line it opens on', async () => {
    const result = await parseRegistryCsv(
      csv(line(), 'TB-2,"unclosed,sales,notified', line({ registration_no: 'TB-3' })),
    );
    assert.equal(result.issueCount, 1);
    assert.deepEqual(inEnglish(result.issues)[0], {
      line: 3,
      message: 'CSV syntax error: a quoted field starting on line 3 is never closed',
    });
  });

  it('flags text that is not UTF-8', async () => {
    // "Cửa hàng" in Windows-1258, the legacy Vietnamese code page: not valid UTF-8.
    const bytes = Buffer.concat([
      Buffer.from(`${HEADER}\nTB-1,C`),
      Buffer.from([0xec, 0xfd, 0x61, 0x20, 0x68, 0xd2, 0x6e, 0x67]),
      Buffer.from(',sales,notified,false,a.vn,,,,,,\n'),
    ]);
    const issues = (await parseRegistryCsv(bytes)).issues;
    assert.deepEqual(inEnglish(issues), [
      { line: 2, field: 'name', message: 'name is not valid UTF-8 text (save the file as "CSV UTF-8")' },
    ]);
  });
});

describe('parseRegistryCsv: the header', () => {
  it('names the missing columns', async () => {
    const issues = await issuesOf(`registration_no,name,kind,status,domains\n${line()}\n`);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.line, 1);
    assert.match(
      issueText(issues[0]),
      /missing column\(s\): cross_border, android_apps, ios_apps, org_name, tax_code, valid_until/,
    );
  });

  it('names unknown and repeated columns', async () => {
    const issues = await issuesOf(`${HEADER},website,name\n`);
    assert.match(issueText(issues[0]), /unknown column\(s\): website/);
    assert.match(issueText(issues[1]), /named twice: name/);
  });

  it('says when the first line is not a header at all', async () => {
    const issues = await issuesOf(`${line()}\n${line()}\n`);
    assert.equal(issues.length, 1);
    assert.match(issueText(issues[0]), /line 1 is not the Registry CSV header/);
  });

  it('says when the file is empty', async () => {
    const issues = await issuesOf('\n\n');
    assert.match(issueText(issues[0]), /the file is empty/);
  });

  it('reads no rows after a bad header', async () => {
    const result = await parseRegistryCsv(`name,kind\n${line()}\n${line()}\n`);
    assert.equal(result.rowCount, 0);
    assert.equal(result.issueCount, 1);
  });
});

describe('parseRegistryCsv: row rules', () => {
  it('rejects a row with the wrong number of columns', async () => {
    const issues = await issuesOf(csv(`${line()},extra`, 'a,b'));
    assert.deepEqual(issues, [
      { line: 2, message: 'expected 12 columns as in the header, found 13' },
      { line: 3, message: 'expected 12 columns as in the header, found 2' },
    ]);
  });

  it('rejects an empty name', async () => {
    assert.equal(await onlyIssue({ name: '   ' }, 'name'), 'name is empty');
  });

  it('rejects names a spreadsheet would run as a formula, and control characters', async () => {
    assert.match(await onlyIssue({ name: '=HYPERLINK("http://x")' }, 'name'), /formula/);
    assert.match(await onlyIssue({ org_name: '@SUM(A1)' }, 'org_name'), /formula/);
    assert.match(await onlyIssue({ name: 'Tab\there' }, 'name'), /control character/);
  });

  it('rejects an unknown kind and lists the allowed kinds', async () => {
    assert.equal(
      await onlyIssue({ kind: 'shop' }, 'kind'),
      'kind "shop" is not one of: sales, marketplace, auction, promotion, social, integrated',
    );
  });

  it('rejects an unknown status and lists the allowed statuses', async () => {
    assert.match(
      await onlyIssue({ status: 'active' }, 'status'),
      /^status "active" is not one of: notified, registered, pending, rejected, expired, revoked, suspended, unregistered, blocked, terminated$/,
    );
  });

  it('accepts cross_border true or false in any case and rejects anything else', async () => {
    assert.equal((await onlyRow({ cross_border: 'False' })).crossBorder, false);
    assert.match(await onlyIssue({ cross_border: 'yes' }, 'cross_border'), /must be true or false, found "yes"/);
    assert.match(await onlyIssue({ cross_border: '' }, 'cross_border'), /must be true or false/);
  });

  it('converts Unicode domains to punycode', async () => {
    const row = await onlyRow({ domains: 'Sáchcũhànội.vn|đồchơibébi.vn' });
    assert.deepEqual(row.domains, ['xn--schchni-dwae77kt29q.vn', 'xn--chibbi-eva92aw8bm99o.vn']);
  });

  it('reduces URLs to their host and drops www., so one site is listed once', async () => {
    const row = await onlyRow({ domains: 'http://WWW.cuahangmau.vn:8080/a/b|cuahangmau.vn.|https://cuahangmau.vn/' });
    assert.deepEqual(row.domains, ['cuahangmau.vn']);
  });

  it('rejects invalid host names and public suffixes', async () => {
    assert.match(
      await onlyIssue({ domains: 'cua hang.vn' }, 'domains'),
      /"cua hang.vn" is not a valid host name: .*space/,
    );
    assert.match(await onlyIssue({ domains: 'ok.vn|-bad-.vn' }, 'domains'), /"-bad-.vn" is not a valid host name/);
    assert.match(await onlyIssue({ domains: 'com.vn' }, 'domains'), /public suffix/);
    assert.match(await onlyIssue({ domains: '203.0.113.5' }, 'domains'), /IP address/);
    assert.match(await onlyIssue({ domains: 'shopee.vnn' }, 'domains'), /known top-level domain/);
  });

  it('lets the reserved test top-level domains through', async () => {
    assert.deepEqual((await onlyRow({ domains: 'shop.example|a.b.test' })).domains, ['shop.example', 'a.b.test']);
  });

  it('accepts Android package ids and Google Play links, rejects other text', async () => {
    const row = await onlyRow({
      android_apps: 'com.shopee.vn|https://play.google.com/store/apps/details?id=vn.tiki.app.tikiandroid&hl=vi',
    });
    assert.deepEqual(row.androidApps, ['com.shopee.vn', 'vn.tiki.app.tikiandroid']);
    assert.match(await onlyIssue({ android_apps: 'shopee' }, 'android_apps'), /not an Android package id/);
    assert.match(await onlyIssue({ android_apps: 'com.1shop.app' }, 'android_apps'), /not an Android package id/);
  });

  it('accepts numeric iOS ids, id-prefixed ids and App Store links, rejects other text', async () => {
    const row = await onlyRow({
      ios_apps: '959841449|id785385147|https://apps.apple.com/vn/app/tiki/id958100553?l=vi',
    });
    assert.deepEqual(row.iosApps, ['959841449', '785385147', '958100553']);
    assert.match(await onlyIssue({ ios_apps: 'com.shopee.vn' }, 'ios_apps'), /not an iOS App Store id/);
    assert.match(await onlyIssue({ ios_apps: '0123' }, 'ios_apps'), /not an iOS App Store id/);
  });

  it('verifies the tax code checksum and says why it fails', async () => {
    assert.match(await onlyIssue({ tax_code: '0106773787' }, 'tax_code'), /fails the checksum.*require 6/);
    assert.match(await onlyIssue({ tax_code: '0101243150-000' }, 'tax_code'), /no branch 000/);
    assert.match(await onlyIssue({ tax_code: '0199001050' }, 'tax_code'), /no check digit exists/);
  });

  it('accepts real calendar dates only', async () => {
    assert.equal((await onlyRow({ valid_until: '2028-02-29' })).validUntil, '2028-02-29');
    assert.match(await onlyIssue({ valid_until: '2027-02-29' }, 'valid_until'), /not a real date written YYYY-MM-DD/);
    assert.match(await onlyIssue({ valid_until: '2027-13-01' }, 'valid_until'), /not a real date/);
    assert.match(await onlyIssue({ valid_until: '31/12/2027' }, 'valid_until'), /not a real date/);
  });

  it('requires a registration number for notified, registered, expired, revoked, suspended and terminated', async () => {
    for (const status of ['notified', 'registered', 'expired', 'revoked', 'suspended', 'terminated']) {
      const message = await onlyIssue({ status, registration_no: '' }, 'registration_no');
      assert.equal(message, `registration_no is required for status ${status}`);
    }
  });

  it('lets pending, rejected and blocked rows have a registration number or none', async () => {
    for (const status of ['pending', 'rejected', 'blocked']) {
      assert.equal((await onlyRow({ status, registration_no: '' })).registrationNo, null);
      assert.equal((await onlyRow({ status, registration_no: 'HS-1' })).registrationNo, 'HS-1');
    }
  });

  it('refuses a registration number on an unregistered platform', async () => {
    assert.equal((await onlyRow({ status: 'unregistered', registration_no: '' })).status, 'unregistered');
    assert.match(await onlyIssue({ status: 'unregistered' }, 'registration_no'), /unregistered platform has no/);
  });

  it('refuses registration numbers that would not fit in a URL path', async () => {
    assert.match(await onlyIssue({ registration_no: 'TB 2024/1' }, 'registration_no'), /only letters, digits/);
  });

  it('reads legacy ids, including online.gov.vn links, and refuses a bare number', async () => {
    assert.equal((await onlyRow({ legacy_id: 'appdetails/0678' })).legacyId, 'AppDetails/678');
    assert.equal(
      (await onlyRow({ legacy_id: 'http://online.gov.vn/Home/WebDetails/12345?AspxAutoDetectCookieSupport=1' }))
        .legacyId,
      'WebDetails/12345',
    );
    assert.match(await onlyIssue({ legacy_id: '12345' }, 'legacy_id'), /ambiguous: write WebDetails\/12345/);
    assert.match(await onlyIssue({ legacy_id: 'Details/1' }, 'legacy_id'), /must be WebDetails/);
  });

  it('reports every issue of a row, not only the first, in the order of the columns', async () => {
    const issues = await issuesOf(
      csv(line({ registration_no: '', name: '', kind: 'x', tax_code: '123', valid_until: 'soon' })),
    );
    assert.deepEqual(
      issues.map((issue) => issue.field),
      ['registration_no', 'name', 'kind', 'tax_code', 'valid_until'],
    );
  });
});

describe('parseRegistryCsv: rules across rows', () => {
  it('rejects a registration number used twice, in any case, naming both lines', async () => {
    const issues = await issuesOf(csv(line(), line({ registration_no: 'tb-2024-00001', domains: 'b.vn' })));
    assert.deepEqual(issues, [
      { line: 3, field: 'registration_no', message: 'registration_no TB-2024-00001 is also listed on line 2' },
    ]);
  });

  it('rejects a domain listed by two rows, naming both lines, even when spelt differently', async () => {
    const issues = await issuesOf(
      csv(
        line(),
        line({ registration_no: 'TB-2', domains: 'other.vn' }),
        line({ registration_no: 'TB-3', domains: 'https://www.CUAHANGMAU.vn/x' }),
      ),
    );
    assert.deepEqual(issues, [{ line: 4, field: 'domains', message: 'domain cuahangmau.vn is also listed on line 2' }]);
  });

  it('rejects an app listed by two rows', async () => {
    const issues = await issuesOf(
      csv(
        line({ android_apps: 'vn.mau.app', ios_apps: '123456789' }),
        line({ registration_no: 'TB-2', domains: 'b.vn', android_apps: 'vn.mau.app', ios_apps: 'id123456789' }),
      ),
    );
    assert.deepEqual(issues, [
      { line: 3, field: 'android_apps', message: 'Android app vn.mau.app is also listed on line 2' },
      { line: 3, field: 'ios_apps', message: 'iOS app 123456789 is also listed on line 2' },
    ]);
  });

  it('does not count an identity repeated within one row as a conflict', async () => {
    const row = await onlyRow({ domains: 'cuahangmau.vn|www.cuahangmau.vn', android_apps: 'vn.a.b|vn.a.b' });
    assert.deepEqual(row.domains, ['cuahangmau.vn']);
    assert.deepEqual(row.androidApps, ['vn.a.b']);
  });

  it('lets a subdomain be listed by another row than its parent domain', async () => {
    const result = await parseRegistryCsv(
      csv(line(), line({ registration_no: 'TB-2', domains: 'shop.cuahangmau.vn' })),
    );
    assert.deepEqual(result.issues, []);
  });

  it('still finds the first line of an identity after tens of thousands of others', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) =>
      line({ registration_no: `TB-${i}`, domains: `s${i}.vn`, android_apps: `vn.s${i}.app`, tax_code: '' }),
    );
    lines.push(
      line({ registration_no: 'TB-X', domains: 'https://s7.vn/', android_apps: 'vn.s19999.app', tax_code: '' }),
    );
    const result = await parseRegistryCsv(csv(...lines));
    assert.deepEqual(inEnglish(result.issues), [
      { line: 20_002, field: 'domains', message: 'domain s7.vn is also listed on line 9' },
      { line: 20_002, field: 'android_apps', message: 'Android app vn.s19999.app is also listed on line 20001' },
    ]);
    assert.equal(result.rows.length, 20_000);
  });

  it('rejects a legacy id used twice', async () => {
    const issues = await issuesOf(
      csv(
        line({ legacy_id: 'WebDetails/1' }),
        line({ registration_no: 'TB-2', domains: 'b.vn', legacy_id: 'webdetails/1' }),
      ),
    );
    assert.deepEqual(issues, [
      { line: 3, field: 'legacy_id', message: 'legacy_id WebDetails/1 is also listed on line 2' },
    ]);
  });

  it('lets one organisation own several platforms, whatever the case of its name, but refuses one tax code for two names', async () => {
    const same = await issuesOf(
      csv(line(), line({ registration_no: 'TB-2', domains: 'b.vn', org_name: 'CÔNG TY TNHH CỬA HÀNG MẪU' })),
    );
    assert.deepEqual(same, []);
    const different = await issuesOf(
      csv(line(), line({ registration_no: 'TB-2', domains: 'b.vn', org_name: 'Công ty Khác' })),
    );
    assert.equal(different.length, 1);
    assert.equal(different[0]?.field, 'tax_code');
    assert.equal(different[0]?.message, 'tax code 0106773786 belongs to another organisation name on line 2');
  });
});

describe('parseRegistryCsv: issue collection', () => {
  it('keeps the details of the first 100 issues and counts the rest', async () => {
    const lines = Array.from({ length: 500 }, (_, i) =>
      line({ registration_no: `TB-${i}`, domains: `s${i}.vn`, kind: 'bad', status: 'bad' }),
    );
    const result = await parseRegistryCsv(csv(...lines));
    assert.equal(result.issues.length, 100);
    assert.equal(result.issueCount, 1000);
    assert.equal(result.rowCount, 500);
    assert.deepEqual(result.rows, []);
    assert.equal(result.issues[99]?.line, 51);
  });

  it('honours a different cap', async () => {
    const result = await parseRegistryCsv(
      csv(line({ kind: 'x' }), line({ registration_no: 'TB-2', domains: 'b.vn', kind: 'y' })),
      { maxIssues: 1 },
    );
    assert.equal(result.issues.length, 1);
    assert.equal(result.issueCount, 2);
  });

  it('reports a CSV syntax error with its line and stops', async () => {
    const result = await parseRegistryCsv(csv(line(), 'TB-2,"unclosed,sales,notified'));
    assert.equal(result.issueCount, 1);
    assert.match(issueText(result.issues[0]), /^CSV syntax error/);
    assert.equal(typeof result.issues[0]?.line, 'number');
  });

  it('lets an error of the input stream itself through instead of calling it a CSV problem', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('disk on fire'));
      },
    });
    await assert.rejects(parseRegistryCsv(failing), /disk on fire/);
  });

  it('builds an AppError naming the first problem and the total', async () => {
    const result = await parseRegistryCsv(
      csv(line({ kind: 'x' }), line({ registration_no: 'TB-2', domains: 'b.vn', status: 'y' })),
    );
    const error = registryCsvError(result, 'platforms.csv');
    assert.equal(error?.code, 'invalid_input');
    assert.equal(error?.field, 'kind');
    assert.match(
      error?.message ?? '',
      /^platforms\.csv:2 \(kind\): kind "x" is not one of: .* \(2 problems in all; nothing was imported\)$/,
    );
    assert.equal(error?.issues.length, 2);
    assert.equal(registryCsvError({ issues: [], issueCount: 0 }), undefined);
  });

  it('gives every problem in Vietnamese too, the error’s summary included', async () => {
    const result = await parseRegistryCsv(
      csv(
        line({ name: '=HYPERLINK("x")', domains: '10.0.0.1' }),
        line({ registration_no: 'TB-2', domains: 'b.vn', valid_until: '2026-02-30' }),
      ),
    );
    assert.deepEqual(
      result.issues.map((issue) => [issue.line, issue.field, issue.message.vi]),
      [
        [2, 'name', 'name không được bắt đầu bằng =, +, - hoặc @ (bảng tính sẽ chạy nó như công thức)'],
        [2, 'domains', '"10.0.0.1" là địa chỉ IP; danh sách ghi tên miền'],
        [3, 'valid_until', 'valid_until "2026-02-30" không phải một ngày có thật viết dạng YYYY-MM-DD'],
      ],
    );
    assert.equal(
      registryCsvError(result, 'danh-sach.csv')?.text.vi,
      'danh-sach.csv:2 (name): name không được bắt đầu bằng =, +, - hoặc @ (bảng tính sẽ chạy nó như công thức) (tổng cộng 3 lỗi; chưa nhập gì)',
    );
  });
});

describe('readRegistryCsv', () => {
  it('streams a file given in small chunks, in batches, ending with the summary', async () => {
    const text = csv(
      ...Array.from({ length: 25 }, (_, i) =>
        line({ registration_no: `TB-${i}`, domains: `s${i}.vn`, name: `Cửa hàng ${i}` }),
      ),
    );
    const bytes = Buffer.from(text);
    // 7-byte pieces split multi-byte Vietnamese characters and lines.
    const pieces = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    const chunks: RegistryCsvChunk[] = [];
    for await (const chunk of readRegistryCsv(Readable.from(pieces), { batchSize: 10 })) chunks.push(chunk);
    assert.deepEqual(
      chunks.map((chunk) => (chunk.type === 'rows' ? chunk.rows.length : chunk.type)),
      [10, 10, 5, 'end'],
    );
    const rows = chunks.flatMap((chunk) => (chunk.type === 'rows' ? chunk.rows : []));
    assert.equal(rows[24]?.name, 'Cửa hàng 24');
    assert.equal(rows[24]?.line, 26);
  });

  it('closes the input when the reader is left early', async () => {
    const lines = Array.from(
      { length: 50 },
      (_, i) => `${line({ registration_no: `TB-${i}`, domains: `s${i}.vn` })}\n`,
    );
    const source = Readable.from([`${HEADER}\n`, ...lines]);
    for await (const chunk of readRegistryCsv(source, { batchSize: 1 })) {
      assert.equal(chunk.type, 'rows');
      break;
    }
    assert.equal(source.destroyed, true);
  });
});

describe('formatRegistryCsv', () => {
  const rows: RegistryRow[] = [
    {
      line: 2,
      registrationNo: 'TB-2024-00001',
      name: 'Cửa hàng "Mẫu", chi nhánh 1',
      kind: 'marketplace',
      status: 'registered',
      crossBorder: true,
      domains: ['cuahangmau.vn', 'xn--schchni-dwae77kt29q.vn'],
      androidApps: ['vn.mau.app'],
      iosApps: ['123456789', '987654321'],
      orgName: 'Công ty TNHH Mẫu',
      taxCode: '0101243150-001',
      validUntil: '2027-12-31',
      legacyId: 'AppDetails/678',
    },
    {
      line: 3,
      registrationNo: null,
      name: 'Temu',
      kind: 'marketplace',
      status: 'unregistered',
      crossBorder: true,
      domains: ['temu.com'],
      androidApps: [],
      iosApps: [],
      orgName: null,
      taxCode: null,
      validUntil: null,
      legacyId: null,
    },
  ];

  it('round-trips: parsing the formatted rows gives the same rows', async () => {
    const result = await parseRegistryCsv(formatRegistryCsv(rows));
    assert.deepEqual(result.issues, []);
    assert.deepEqual(result.rows, rows);
  });

  it('round-trips without the legacy_id column for rows that have none', async () => {
    const withoutLegacy = rows.slice(1).map((row) => ({ ...row, line: 2 }));
    const text = formatRegistryCsv(withoutLegacy, { legacyId: false });
    assert.equal(text.split('\n')[0], HEADER.replace(',legacy_id', ''));
    assert.deepEqual((await parseRegistryCsv(text)).rows, withoutLegacy);
  });

  it('writes the header, joined lists and quoted text', () => {
    const text = formatRegistryCsv(rows);
    const lines = text.split('\n');
    assert.equal(lines[0], HEADER);
    assert.equal(
      lines[1],
      'TB-2024-00001,"Cửa hàng ""Mẫu"", chi nhánh 1",marketplace,registered,true,cuahangmau.vn|xn--schchni-dwae77kt29q.vn,vn.mau.app,123456789|987654321,Công ty TNHH Mẫu,0101243150-001,2027-12-31,AppDetails/678',
    );
    assert.equal(lines[2], ',Temu,marketplace,unregistered,true,temu.com,,,,,,');
  });

  it('leaves the header out on request, for later pages of an export', () => {
    assert.equal(
      formatRegistryCsv(rows.slice(1), { header: false }),
      ',Temu,marketplace,unregistered,true,temu.com,,,,,,\n',
    );
    assert.equal(formatRegistryCsv([], { header: false }), '');
  });

  it('streams the same text as it formats', async () => {
    let streamed = '';
    for await (const piece of streamRegistryCsv(rows, { batchSize: 1 })) streamed += piece;
    assert.equal(streamed, formatRegistryCsv(rows));
  });
});

describe('helpers', () => {
  it('maps every kind to a platform type of Law 122/2025', () => {
    assert.deepEqual(
      PLATFORM_KINDS.map((kind) => [kind, lawTypeForKind(kind)]),
      [
        ['sales', 'direct_sales'],
        ['marketplace', 'intermediary'],
        ['auction', 'intermediary'],
        ['promotion', 'intermediary'],
        ['social', 'social_commerce'],
        ['integrated', 'integrated'],
      ],
    );
  });

  it('reads app ids out of store links', () => {
    assert.equal(normalizeAndroidAppId('market://details?id=com.chotot.vn'), 'com.chotot.vn');
    assert.equal(normalizeAndroidAppId('https://play.google.com/store/apps/details?hl=vi'), undefined);
    assert.equal(normalizeIosAppId('https://itunes.apple.com/us/app/chotot.vn/id790034666'), '790034666');
    assert.equal(normalizeIosAppId('https://apps.apple.com/vn/app/x'), undefined);
  });

  it('knows which dates exist', () => {
    assert.equal(isCalendarDate('2000-02-29'), true);
    assert.equal(isCalendarDate('1900-02-29'), false);
    assert.equal(isCalendarDate('2026-04-31'), false);
    assert.equal(isCalendarDate('2026-4-30'), false);
  });

  it('reads legacy ids', () => {
    assert.deepEqual(parseLegacyId(' WebDetails/7 '), { ok: true, legacyId: 'WebDetails/7' });
    assert.equal(parseLegacyId('7').ok, false);
  });
});

describe('splitSimpleQuotedLine', () => {
  it('agrees with csv-parse on every line it accepts, and declines the lines only csv-parse can read', () => {
    const pieces = ['', 'a', 'Cửa hàng', ' x ', '"q"', '"a,b"', '"a, ""b"""', '"', 'a"b', '"x"y', '""', '"a\u00a0b"'];
    let accepted = 0;
    for (const a of pieces) {
      for (const b of pieces) {
        for (const c of pieces) {
          const line = `${a},${b},${c}`;
          const simple = splitSimpleQuotedLine(line);
          let expected: string[] | undefined;
          try {
            const records = parseCsv(`${line}\n`, { relax_column_count: true }) as string[][];
            expected = records.length === 1 ? records[0] : undefined;
          } catch {
            expected = undefined;
          }
          if (simple !== undefined) {
            accepted++;
            assert.deepEqual(simple, expected, line);
          }
        }
      }
    }
    assert.ok(accepted > 300, `accepted ${accepted}`);
    assert.deepEqual(splitSimpleQuotedLine('"Công ty TNHH A, B",0106773786,'), ['Công ty TNHH A, B', '0106773786', '']);
    assert.equal(splitSimpleQuotedLine('"a ""b""",c'), undefined);
    assert.equal(splitSimpleQuotedLine('a"b,c'), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  currentUnitOf,
  MINISTRY_UNITS,
  matchUnit,
  matchUnitAsWritten,
  predecessorIdsOf,
  resolveUnit,
  STATE_BODIES,
  unitById,
  unitDisplayName,
  unitNameKey,
  unitWithDuty,
} from './catalogue.ts';

const ALL = [...MINISTRY_UNITS, ...STATE_BODIES];

describe('matchUnit', () => {
  it('matches Vietnamese names with or without diacritics and in any case', () => {
    assert.equal(matchUnit('Cục Thương mại điện tử và Kinh tế số')?.id, 'idea');
    assert.equal(matchUnit('CỤC THƯƠNG MẠI ĐIỆN TỬ VÀ KINH TẾ SỐ')?.id, 'idea');
    assert.equal(matchUnit('Cuc Thuong mai dien tu va Kinh te so')?.id, 'idea');
    assert.equal(matchUnit('Cục TMĐT và KTS')?.id, 'idea');
    assert.equal(matchUnit('Cục TMĐT&KTS')?.id, 'idea');
    assert.equal(matchUnit('Vụ Pháp chế')?.id, 'legal');
    assert.equal(matchUnit('Ủy ban Cạnh tranh Quốc gia')?.id, 'competition');
    assert.equal(matchUnit('Uỷ ban Cạnh tranh Quốc gia')?.id, 'competition', 'the old spelling stays an alias');
  });

  it('matches English names, aliases and former names', () => {
    assert.equal(matchUnit('iDEA')?.id, 'idea');
    assert.equal(matchUnit('the E-Commerce and Digital Economy Agency')?.id, 'idea');
    assert.equal(matchUnit('Legal Affairs Department')?.id, 'legal');
    assert.equal(matchUnit('Import and Export Department')?.id, 'import_export');
    assert.equal(matchUnit('Import-Export Department')?.id, 'import_export');
    assert.equal(matchUnit('Domestic Market Management and Development Department')?.id, 'market_management');
  });

  it('ignores a qualifier naming the Ministry the unit belongs to', () => {
    assert.equal(matchUnit('Media units of the Ministry of Industry and Trade of Vietnam')?.id, 'media_units');
    assert.equal(matchUnit('Các cơ quan báo chí thuộc Bộ Công Thương')?.id, 'media_units');
    assert.equal(matchUnit('Thanh tra Bộ Công Thương')?.id, 'inspectorate');
  });

  it('matches the other state bodies directives name, as they are today', () => {
    assert.equal(matchUnit('Bộ Công Thương')?.id, 'moit');
    assert.equal(matchUnit('Ministry of Industry and Trade of Vietnam')?.id, 'moit');
    assert.equal(matchUnit('Cục Hải quan')?.id, 'customs');
    assert.equal(matchUnit('Tổng cục Hải quan')?.id, 'customs');
    assert.equal(matchUnit('General Department of Customs')?.id, 'customs');
    assert.equal(matchUnit('Ministry of Information and Communications')?.id, 'most');
    assert.equal(matchUnit('Bộ Thông tin và Truyền thông')?.id, 'most');
  });

  it('returns undefined for a name it does not know', () => {
    assert.equal(matchUnit('Ministry of Magic'), undefined);
    assert.equal(matchUnit(''), undefined);
    assert.equal(resolveUnit('Ministry of Magic'), undefined);
  });
});

describe('units that ceased in the 2025 reorganisation', () => {
  const successions: ReadonlyArray<[string, string, string]> = [
    ['Tổng cục Quản lý thị trường', 'general_market_management', 'market_management'],
    ['General Department of Market Management', 'general_market_management', 'market_management'],
    ['Tổng cục QLTT', 'general_market_management', 'market_management'],
    ['Vụ Thị trường trong nước', 'domestic_market', 'market_management'],
    ['Domestic Market Department', 'domestic_market', 'market_management'],
    ['Vụ Khoa học và Công nghệ', 'science_technology', 'innovation'],
    ['Vụ Kế hoạch - Tài chính', 'planning_finance_2022', 'planning_finance'],
    ['Cục Cạnh tranh và Bảo vệ người tiêu dùng', 'competition_consumer_authority', 'competition'],
    ['Tổng cục Hải quan', 'general_customs', 'customs'],
    ['Bộ Thông tin và Truyền thông', 'mic', 'most'],
    ['Bộ Kế hoạch và Đầu tư', 'mpi', 'mof'],
  ];

  it('resolves each old name to the unit doing its work today and keeps the old unit as written', () => {
    for (const [name, oldId, currentId] of successions) {
      const resolved = resolveUnit(name);
      assert.equal(resolved?.unit.id, currentId, name);
      assert.equal(resolved?.asWritten?.id, oldId, name);
      assert.equal(matchUnitAsWritten(name)?.id, oldId, name);
      assert.ok(resolved?.asWritten?.ceased, `${name}: the old record says it ceased`);
    }
    const written = resolveUnit('Tổng cục Quản lý thị trường');
    assert.equal(written?.asWritten?.nameVi, 'Tổng cục Quản lý thị trường');
    assert.equal(written?.unit.nameVi, 'Cục Quản lý và Phát triển thị trường trong nước');
  });

  it('resolves a current unit to itself, with no old unit', () => {
    assert.deepEqual(
      [resolveUnit('Cục Xúc tiến thương mại')?.unit.id, resolveUnit('Cục Xúc tiến thương mại')?.asWritten],
      ['trade_promotion', null],
    );
  });

  it('records for every ceased unit when and by which act it ended, its successors and a source', () => {
    for (const unit of ALL.filter((candidate) => candidate.ceased)) {
      const ceased = unit.ceased as NonNullable<typeof unit.ceased>;
      assert.ok(ceased.by.length > 0, unit.id);
      assert.ok(ceased.on === null || /^\d{4}-\d{2}-\d{2}$/.test(ceased.on), unit.id);
      assert.ok(ceased.successorIds.length > 0, unit.id);
      for (const id of ceased.successorIds) assert.ok(unitById(id), `${unit.id} → ${id}`);
      assert.ok(!currentUnitOf(unit).ceased, `${unit.id} leads to a unit of today`);
      assert.ok(ceased.sources.length > 0 && ceased.sources.every((source) => source.url.startsWith('http')), unit.id);
    }
  });

  it('cites a source for every unit of the Ministry today', () => {
    for (const unit of MINISTRY_UNITS.filter((candidate) => !candidate.ceased && !candidate.members)) {
      assert.ok((unit.sources ?? []).length > 0, unit.id);
    }
  });

  it('lists the ceased units whose tasks a unit of today tracks', () => {
    assert.deepEqual(predecessorIdsOf('market_management').sort(), ['domestic_market', 'general_market_management']);
    assert.deepEqual(predecessorIdsOf('most'), ['mic']);
    assert.deepEqual(predecessorIdsOf('legal'), []);
  });
});

describe('names on pages', () => {
  it('shows today’s name in the page’s language, and the ceased unit the document named beside it', () => {
    assert.deepEqual(unitDisplayName('market_management', 'Tổng cục Quản lý thị trường', 'vi'), {
      name: 'Cục Quản lý và Phát triển thị trường trong nước',
      formerName: 'Tổng cục Quản lý thị trường',
    });
    assert.deepEqual(unitDisplayName('market_management', 'General Department of Market Management', 'vi'), {
      name: 'Cục Quản lý và Phát triển thị trường trong nước',
      formerName: 'Tổng cục Quản lý thị trường',
    });
    assert.deepEqual(unitDisplayName('domestic_market', 'Vụ Thị trường trong nước', 'en'), {
      name: 'Agency for Domestic Market Surveillance and Development',
      formerName: 'Domestic Market Department',
    });
    assert.deepEqual(unitDisplayName(null, 'Công an Thành phố Hà Nội', 'en'), {
      name: 'Công an Thành phố Hà Nội',
      formerName: null,
    });
  });

  it('never shows an English unit name on a Vietnamese page', () => {
    assert.deepEqual(unitDisplayName('trade_promotion', 'Trade Promotion Agency', 'vi'), {
      name: 'Cục Xúc tiến thương mại',
      formerName: null,
    });
    const english = new Set(ALL.map((unit) => unit.nameEn));
    for (const unit of ALL) {
      for (const written of [unit.nameEn, ...unit.aliases]) {
        for (const id of [unit.id, null]) {
          const shown = unitDisplayName(id, written, 'vi');
          assert.ok(!english.has(shown.name), `"${written}" (${id}) shows "${shown.name}" on a Vietnamese page`);
          assert.ok(shown.formerName === null || !english.has(shown.formerName), `${written}: ${shown.formerName}`);
        }
      }
    }
  });

  it('writes Vietnamese names the administration’s way (“Ủy”, not “Uỷ”)', () => {
    for (const unit of ALL) assert.ok(!unit.nameVi.includes('Uỷ') && !unit.nameVi.includes('uỷ'), unit.id);
  });
});

describe('consumer protection', () => {
  it('sends consumers to the unit that holds consumer protection today, with its hotline and a source for it', () => {
    const unit = unitWithDuty('consumer_protection');
    assert.equal(unit.nameVi, 'Ủy ban Cạnh tranh Quốc gia');
    assert.ok(!unit.ceased);
    const hotline = unit.contacts?.find((contact) => contact.kind === 'hotline');
    assert.equal(hotline?.value, '1800 6838');
    assert.ok(hotline?.sources.some((source) => source.verified && source.url.startsWith('https://')));
  });
});

describe('the unit list', () => {
  it('gives every unit a unique id and Vietnamese and English names', () => {
    assert.equal(new Set(ALL.map((unit) => unit.id)).size, ALL.length);
    for (const unit of ALL) {
      assert.ok(unit.nameVi.length > 0 && unit.nameEn.length > 0, unit.id);
      assert.equal(unit.nameVi, unit.nameVi.normalize('NFC'), unit.id);
    }
  });

  it('never lets one name or alias stand for two units', () => {
    const owners = new Map<string, string>();
    for (const unit of ALL) {
      for (const name of [unit.nameVi, unit.nameEn, ...unit.aliases]) {
        const key = unitNameKey(name);
        const owner = owners.get(key);
        assert.ok(owner === undefined || owner === unit.id, `"${name}" names both ${owner} and ${unit.id}`);
        owners.set(key, unit.id);
      }
    }
  });

  it('lets every collective name point at units of today', () => {
    for (const unit of ALL) {
      for (const member of unit.members ?? [])
        assert.ok(unitById(member) && !unitById(member)?.ceased, `${unit.id} → ${member}`);
    }
  });

  it('lists the units of Decree 40/2025/NĐ-CP the directives assign, with their Vietnamese names', () => {
    const expected: Record<string, string> = {
      idea: 'Cục Thương mại điện tử và Kinh tế số',
      market_management: 'Cục Quản lý và Phát triển thị trường trong nước',
      competition: 'Ủy ban Cạnh tranh Quốc gia',
      legal: 'Vụ Pháp chế',
      import_export: 'Cục Xuất nhập khẩu',
      trade_promotion: 'Cục Xúc tiến thương mại',
      innovation: 'Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công',
      planning_finance: 'Vụ Kế hoạch, Tài chính và Quản lý doanh nghiệp',
      trade_remedies: 'Cục Phòng vệ thương mại',
      inspectorate: 'Thanh tra Bộ',
      ministry_office: 'Văn phòng Bộ',
      newspaper: 'Báo Công Thương',
      magazine: 'Tạp chí Công Thương',
      television: 'Truyền hình Công Thương',
    };
    for (const [id, nameVi] of Object.entries(expected)) {
      const unit = MINISTRY_UNITS.find((candidate) => candidate.id === id);
      assert.equal(unit?.nameVi, nameVi, id);
      assert.ok(!unit?.ceased, id);
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MINISTRY_UNITS, matchUnit, STATE_BODIES, unitNameKey } from './catalogue.ts';

describe('matchUnit', () => {
  it('matches Vietnamese names with or without diacritics and in any case', () => {
    assert.equal(matchUnit('Cục Thương mại điện tử và Kinh tế số')?.id, 'idea');
    assert.equal(matchUnit('CỤC THƯƠNG MẠI ĐIỆN TỬ VÀ KINH TẾ SỐ')?.id, 'idea');
    assert.equal(matchUnit('Cuc Thuong mai dien tu va Kinh te so')?.id, 'idea');
    assert.equal(matchUnit('Cục TMĐT và KTS')?.id, 'idea');
    assert.equal(matchUnit('Cục TMĐT&KTS')?.id, 'idea');
    assert.equal(matchUnit('Vụ Pháp chế')?.id, 'legal');
    assert.equal(matchUnit('Uỷ ban Cạnh tranh Quốc gia')?.id, 'competition');
  });

  it('matches English names, aliases and former names', () => {
    assert.equal(matchUnit('iDEA')?.id, 'idea');
    assert.equal(matchUnit('the E-Commerce and Digital Economy Agency')?.id, 'idea');
    assert.equal(matchUnit('Legal Affairs Department')?.id, 'legal');
    assert.equal(matchUnit('General Department of Market Management')?.id, 'market_management');
    assert.equal(matchUnit('Tổng cục Quản lý thị trường')?.id, 'market_management');
    assert.equal(matchUnit('Import and Export Department')?.id, 'import_export');
    assert.equal(matchUnit('Import-Export Department')?.id, 'import_export');
  });

  it('ignores a qualifier naming the Ministry the unit belongs to', () => {
    assert.equal(matchUnit('Media units of the Ministry of Industry and Trade of Vietnam')?.id, 'media_units');
    assert.equal(matchUnit('Các cơ quan báo chí thuộc Bộ Công Thương')?.id, 'media_units');
    assert.equal(matchUnit('Thanh tra Bộ Công Thương')?.id, 'inspectorate');
  });

  it('matches the other state bodies directives name', () => {
    assert.equal(matchUnit('Bộ Công Thương')?.id, 'moit');
    assert.equal(matchUnit('Ministry of Industry and Trade of Vietnam')?.id, 'moit');
    assert.equal(matchUnit('Tổng cục Hải quan')?.id, 'customs');
    assert.equal(matchUnit('General Department of Customs')?.id, 'customs');
    assert.equal(matchUnit('Ministry of Information and Communications')?.id, 'mic');
  });

  it('returns undefined for a name it does not know', () => {
    assert.equal(matchUnit('Ministry of Magic'), undefined);
    assert.equal(matchUnit(''), undefined);
  });
});

describe('the unit list', () => {
  const all = [...MINISTRY_UNITS, ...STATE_BODIES];

  it('gives every unit a unique id and Vietnamese and English names', () => {
    assert.equal(new Set(all.map((unit) => unit.id)).size, all.length);
    for (const unit of all) {
      assert.ok(unit.nameVi.length > 0 && unit.nameEn.length > 0, unit.id);
    }
  });

  it('never lets one name or alias stand for two units', () => {
    const owners = new Map<string, string>();
    for (const unit of all) {
      for (const name of [unit.nameVi, unit.nameEn, ...unit.aliases]) {
        const key = unitNameKey(name);
        const owner = owners.get(key);
        assert.ok(owner === undefined || owner === unit.id, `"${name}" names both ${owner} and ${unit.id}`);
        owners.set(key, unit.id);
      }
    }
  });

  it('lets every collective name point at units that exist', () => {
    const ids = new Set(all.map((unit) => unit.id));
    for (const unit of all) {
      for (const member of unit.members ?? []) assert.ok(ids.has(member), `${unit.id} → ${member}`);
    }
  });

  it('lists the units the dispatch assigns, with their Vietnamese names', () => {
    const expected: Record<string, string> = {
      idea: 'Cục Thương mại điện tử và Kinh tế số',
      market_management: 'Cục Quản lý và Phát triển thị trường trong nước',
      competition: 'Ủy ban Cạnh tranh Quốc gia',
      legal: 'Vụ Pháp chế',
      import_export: 'Cục Xuất nhập khẩu',
      trade_promotion: 'Cục Xúc tiến thương mại',
      domestic_market: 'Vụ Thị trường trong nước',
      science_technology: 'Vụ Khoa học và Công nghệ',
      inspectorate: 'Thanh tra Bộ',
      newspaper: 'Báo Công Thương',
      magazine: 'Tạp chí Công Thương',
      television: 'Truyền hình Công Thương',
    };
    for (const [id, nameVi] of Object.entries(expected)) {
      assert.equal(MINISTRY_UNITS.find((unit) => unit.id === id)?.nameVi, nameVi, id);
    }
  });
});

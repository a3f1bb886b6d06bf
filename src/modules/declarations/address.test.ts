import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressKey } from './address.ts';
import { normalizePhone, vagueDescriptionReason } from './declarations.rows.ts';

describe('addressKey', () => {
  it('gives the same place spelled four ways one key', () => {
    const keys = new Set(
      [
        'Số 15 Đường số 7, KCN Tân Tạo, P. Tân Tạo A, Q. Bình Tân, TP.HCM',
        '15 duong so 7 khu cong nghiep tan tao phuong tan tao a quan binh tan thanh pho ho chi minh',
        '15, Đ. Số 7, Khu Công Nghiệp Tân Tạo, Phường Tân Tạo A, Quận Bình Tân, TP Hồ Chí Minh',
        '15 đường số 7 - KCN Tân Tạo - p.Tân Tạo A - q.Bình Tân - Sài Gòn',
      ].map(addressKey),
    );
    assert.deepEqual([...keys], ['15 duong so 7, kcn tan tao, p. tan tao a, tp ho chi minh']);
  });

  it('drops the district abolished in 2025 and maps a former province to the one it merged into', () => {
    assert.equal(
      addressKey('22 Đại lộ Bình Dương, P. Lái Thiêu, TP. Thuận An, Bình Dương'),
      addressKey('22 Đại lộ Bình Dương, Phường Lái Thiêu, TP.HCM'),
    );
    assert.equal(
      addressKey('5 Lê Lợi, P. Hải Châu 1, Q. Hải Châu, Quảng Nam'),
      addressKey('5 Le Loi, phuong Hai Chau 1, Da Nang'),
    );
  });

  it('writes alleys one way (hẻm, ngõ, kiệt, 12/3) and keeps the district after a numbered ward', () => {
    assert.equal(
      addressKey('3 hẻm 12 Nguyễn Trãi, Phường 2, Quận 5, TP.HCM'),
      '12/3 nguyen trai, p. 2, q. 5, tp ho chi minh',
    );
    assert.equal(addressKey('12/3 Nguyễn Trãi, P.2, Q.5, Hồ Chí Minh'), '12/3 nguyen trai, p. 2, q. 5, tp ho chi minh');
    assert.equal(
      addressKey('Số 8 ngõ 12 Phố Huế, P. Ngô Thì Nhậm, Hà Nội'),
      '12/8 pho hue, p. ngo thi nham, tp ha noi',
    );
    assert.equal(addressKey('8 kiệt 12 Hùng Vương, Đà Nẵng'), '12/8 hung vuong, tp da nang');
    assert.notEqual(addressKey('1 Lê Lợi, Phường 2, Quận 5, TP.HCM'), addressKey('1 Lê Lợi, Phường 2, Quận 3, TP.HCM'));
  });

  it('stays bounded on a hostile address', () => {
    const started = Date.now();
    addressKey(`${'p. q. tp '.repeat(100_000)}`);
    assert.ok(Date.now() - started < 500);
  });
});

describe('normalizePhone', () => {
  it('reads the common spellings of one number', () => {
    for (const spelling of ['0912 345 678', '+84 912-345-678', '(+84) 912.345.678', '84912345678', '0912.345.678']) {
      assert.equal(normalizePhone(spelling), '0912345678', spelling);
    }
  });
  it('refuses what is not a Vietnamese number', () => {
    for (const spelling of ['12345', '+1 415 555 0100', 'call me', '00912345678']) {
      assert.equal(normalizePhone(spelling), undefined, spelling);
    }
  });
});

describe('vagueDescriptionReason', () => {
  it('flags descriptions that say nothing of the goods', () => {
    for (const text of ['gift', 'Sample', 'hàng mẫu', 'Quà tặng', '', '   ', '123456', '--']) {
      assert.ok(vagueDescriptionReason(text), text);
    }
  });
  it('accepts a real description', () => {
    assert.equal(vagueDescriptionReason('Quần jean nam'), undefined);
    assert.equal(vagueDescriptionReason('Electric kettle 1.7 L'), undefined);
  });
});

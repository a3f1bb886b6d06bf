import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { measureLookalikeFalsePositives, readUnrelatedDomains } from '../bench/lookalike.ts';
import type { LookalikeTarget } from '../src/modules/check/lookalike.ts';

/** The demo register's platforms (real and fictional), as look-alike targets. */
const DEMO_REGISTER_TARGETS: readonly LookalikeTarget[] = [
  ['shopee.vn', 'Shopee'],
  ['lazada.vn', 'Lazada'],
  ['tiki.vn', 'Tiki'],
  ['tiktok.com', 'TikTok Shop'],
  ['sendo.vn', 'Sendo'],
  ['temu.com', 'Temu'],
  ['shein.com', 'SHEIN'],
  ['1688.com', '1688'],
  ['chotot.com', 'Chợ Tốt'],
  ['thegioididong.com', 'Thế Giới Di Động'],
  ['dienmayxanh.com', 'Điện Máy Xanh'],
  ['fptshop.com.vn', 'FPT Shop'],
  ['cellphones.com.vn', 'CellphoneS'],
  ['hasaki.vn', 'Hasaki'],
  ['concung.com', 'Con Cưng'],
  ['bachhoaxanh.com', 'Bách Hóa Xanh'],
  ['banhtrungthu-anhoa.vn', 'Bánh Trung Thu An Hòa'],
  ['gomsubattrang-demo.vn', 'Gốm Sứ Bát Tràng Demo'],
  ['thoitrangmaimai.vn', 'Thời Trang Mai Mai'],
  ['mypham-hoalan.vn', 'Mỹ Phẩm Hoa Lan'],
  ['dochoi-bebi.vn', 'Đồ Chơi Bébi'],
  ['sachcu-hanoi.vn', 'Sách Cũ Hà Nội'],
].map(([domain, platformName]) => ({
  platformId: `demo:${domain}`,
  platformName: platformName ?? '',
  domain: domain ?? '',
}));

/** Why 0.5%: one wrong "look-alike" warning in 200 checks of ordinary sites is the most the public check can bear. */
const MAX_FALSE_POSITIVE_RATE = 0.005;

describe('look-alike false positives on unrelated domains', () => {
  it('flags fewer than 0.5% of bench/corpus/unrelated-domains.txt against the demo register', () => {
    const domains = readUnrelatedDomains();
    assert.ok(domains.length >= 5000, `the corpus holds ${domains.length} domains, expected at least 5,000`);

    const report = measureLookalikeFalsePositives(DEMO_REGISTER_TARGETS, domains);
    const percent = (report.rate * 100).toFixed(3);
    console.log(`look-alike false positives: ${report.flagged.length} of ${report.checked} (${percent}%)`);
    for (const { domain, match } of report.matches) {
      console.log(`  ${domain} → ${match.domain} (${match.technique})`);
    }

    assert.equal(report.checked, domains.length, 'every corpus domain is a valid host');
    assert.ok(report.rate < MAX_FALSE_POSITIVE_RATE, `false-positive rate ${percent}% is not below 0.5%`);
  });
});

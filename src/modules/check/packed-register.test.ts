import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brandKey } from '../../core/text.ts';
import { PackedRegister } from './packed-register.ts';

describe('PackedRegister', () => {
  it('makes the brand key of UTF-8 bytes as brandKey does of the string', () => {
    const names = ['TikTok Shop', 'Thế Giới Di Động', 'İstanbul Ǆ ﬁ', 'Σίσυφος', '𝐀pple 😀 Ⅻ', 'ĐẠI-LÝ 123', ''];
    const register = new PackedRegister();
    names.forEach((name, index) => {
      const line = Buffer.from(`id-${index}\tsales\tnotified\tf\t\t-1\t${Buffer.byteLength(name)}\t${name}`);
      const nameStart = line.length - Buffer.byteLength(name);
      const slot = register.addPlatformNamedInUtf8(
        line,
        0,
        line.length,
        `id-${index}`.length,
        'notified',
        nameStart,
        line.length,
      );
      register.indexBrand(slot, () => true);
      if (brandKey(name) !== '') assert.equal(register.findByBrand(brandKey(name)), slot, name);
      assert.equal(register.summaryOf(slot).name, name);
    });
  });

  it('keeps answering after many removals and additions (removed keys leave markers)', () => {
    const register = new PackedRegister();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2000; i++) {
        register.addSnapshot(
          {
            id: `p${i}`,
            registrationNo: null,
            name: `Shop ${i}`,
            kind: 'sales',
            status: 'notified',
            crossBorder: false,
            validUntil: null,
            domains: [`shop${i}-r${round}.vn`],
            androidApps: [],
            iosApps: [],
          },
          `shop${i}`,
        );
      }
      assert.equal(register.size, 2000);
      assert.notEqual(register.findByIdentity('domain', `shop1999-r${round}.vn`), -1);
      if (round > 0) assert.equal(register.findByIdentity('domain', `shop1999-r${round - 1}.vn`), -1);
    }
    for (let i = 0; i < 2000; i += 2) register.remove(`p${i}`);
    assert.equal(register.size, 1000);
    assert.equal(register.slotOfId('p0'), -1);
    assert.deepEqual(register.snapshotOf(register.slotOfId('p1')).domains, ['shop1-r2.vn']);
  });
});

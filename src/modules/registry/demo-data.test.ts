import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_DATA_NOTICE, DEMO_REGISTRY, demoRegistryRows } from './demo-data.ts';
import { formatRegistryCsv, PLATFORM_KINDS, PLATFORM_STATUSES, parseRegistryCsv } from './registry.csv.ts';

describe('demo register', () => {
  it('passes the Registry CSV validator unchanged', async () => {
    const rows = demoRegistryRows();
    const result = await parseRegistryCsv(formatRegistryCsv(rows));
    assert.deepEqual(result.issues, []);
    assert.deepEqual(result.rows, rows);
  });

  it('has every status and every kind', () => {
    const rows = demoRegistryRows();
    assert.deepEqual(new Set(rows.map((row) => row.status)), new Set(PLATFORM_STATUSES));
    assert.deepEqual(new Set(rows.map((row) => row.kind)), new Set(PLATFORM_KINDS));
  });

  it('says where every entry comes from', () => {
    for (const { row, provenance } of DEMO_REGISTRY) {
      assert.ok(provenance.source === 'public' || provenance.source === 'fictional', row.name);
      assert.ok(provenance.note.length > 20, row.name);
    }
  });

  it('marks every registration number as a demo number', () => {
    for (const row of demoRegistryRows()) {
      if (row.registrationNo !== null) assert.match(row.registrationNo, /^DEMO-/, row.name);
    }
  });

  it('lists Temu, SHEIN and 1688 as unregistered cross-border marketplaces', () => {
    const byName = new Map(demoRegistryRows().map((row) => [row.name, row]));
    for (const name of ['Temu', 'SHEIN', '1688']) {
      assert.equal(byName.get(name)?.status, 'unregistered', name);
      assert.equal(byName.get(name)?.crossBorder, true, name);
      assert.equal(byName.get(name)?.kind, 'marketplace', name);
    }
  });

  it('keeps the real tax codes with the companies they belong to', () => {
    const taxCodes = Object.fromEntries(demoRegistryRows().map((row) => [row.name, row.taxCode]));
    assert.equal(taxCodes.Shopee, '0106773786');
    assert.equal(taxCodes.Tiki, '0309532909');
    assert.equal(taxCodes.Lazada, '0308808576');
  });

  it('gives fictional shops .vn domains and invented organisations only', () => {
    const fictional = DEMO_REGISTRY.filter((entry) => entry.provenance.source === 'fictional');
    assert.ok(fictional.length >= 10);
    for (const { row } of fictional) {
      for (const domain of row.domains) assert.match(domain, /\.vn$/, row.name);
      if (row.taxCode !== null) assert.match(row.taxCode, /^0[13]99/, row.name);
    }
  });

  it('returns fresh rows on every call', () => {
    const first = demoRegistryRows();
    first[0]?.domains.push('changed.vn');
    assert.equal(demoRegistryRows()[0]?.domains.includes('changed.vn'), false);
  });

  it('has a notice in Vietnamese and English', () => {
    assert.match(DEMO_DATA_NOTICE.vi, /minh họa/);
    assert.match(DEMO_DATA_NOTICE.en, /Demo data/);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { directiveNumberKey, fallbackTitle, findMentionedNumbers, findSubject, kindOfDirective } from './subject.ts';

const readFixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('directiveNumberKey', () => {
  it('makes the Vietnamese and the ASCII spelling of a number one key', () => {
    assert.equal(directiveNumberKey('8598/BCT-TMĐT'), directiveNumberKey('8598/bct-tmdt'));
    assert.equal(directiveNumberKey('105/CĐ-TTg'), '105/CD-TTG');
    assert.notEqual(directiveNumberKey('8598/BCT-TMĐT'), directiveNumberKey('8599/BCT-TMĐT'));
  });
});

describe('kindOfDirective', () => {
  it('reads the document type from the number, a dispatch having none', () => {
    assert.equal(kindOfDirective('105/CĐ-TTg', ''), 'telegram');
    assert.equal(kindOfDirective('12/CT-BCT', ''), 'directive');
    assert.equal(kindOfDirective('1234/QĐ-BCT', ''), 'decision');
    assert.equal(kindOfDirective('45/KH-BCT', ''), 'plan');
    assert.equal(kindOfDirective('8598/BCT-TMĐT', 'ban hành Công điện của Thủ tướng'), 'dispatch');
  });

  it('falls back to the first type word of a text without a number', () => {
    assert.equal(kindOfDirective(null, 'CÔNG ĐIỆN về việc …, theo công văn số …'), 'telegram');
    assert.equal(kindOfDirective(null, 'Official Dispatch on …'), 'dispatch');
    assert.equal(kindOfDirective(null, 'A note'), 'other');
  });
});

describe('findSubject', () => {
  it('reads "V/v" and "Về việc" subjects running over several lines', () => {
    assert.equal(
      findSubject(readFixture('dispatch-9120.vi.txt')),
      'Triển khai các giải pháp quản lý hoạt động thương mại điện tử xuyên biên giới',
    );
    assert.equal(
      findSubject(readFixture('telegram-105.vi.txt')),
      'Tăng cường quản lý hoạt động kinh doanh trên các nền tảng thương mại điện tử xuyên biên giới',
    );
  });

  it('reads "Re:" and the summary sentence of a rendering', () => {
    assert.equal(
      findSubject(readFixture('dispatch-9350.en.txt')),
      'Implementation of the e-commerce management plan for 2025',
    );
    assert.equal(findSubject(readFixture('dispatch-8598.en.txt')), 'Enhance state management of e-commerce in Vietnam');
    assert.equal(
      findSubject(readFixture('dispatch-8598.vi-rendering.txt')),
      'Tăng cường quản lý nhà nước đối với hoạt động thương mại điện tử',
    );
  });

  it('finds nothing in a text that states no subject', () => {
    assert.equal(findSubject('1. Cục X chủ trì thực hiện việc A. Thời hạn: tháng 10/2024.'), undefined);
    assert.equal(fallbackTitle('dispatch', '12/BCT-TMĐT', 'vi'), 'Công văn số 12/BCT-TMĐT');
  });
});

describe('findMentionedNumbers', () => {
  it('lists the documents a text names, as keys', () => {
    const mentioned = findMentionedNumbers(readFixture('dispatch-9120.vi.txt'));
    assert.ok(mentioned.includes('105/CD-TTG'));
    assert.ok(mentioned.includes('52/2013/ND-CP'));
    assert.ok(mentioned.includes('9120/BCT-TMDT'));
  });
});

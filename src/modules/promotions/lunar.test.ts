import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays, lunarDayInYear, lunarNewYear } from './lunar.ts';

describe('the Vietnamese lunar calendar (UTC+7)', () => {
  it('gives the official Tết dates', () => {
    const official: Array<[number, string]> = [
      [1985, '1985-01-21'], // China's was 20 February: the 11th month and the leap month differ at UTC+8
      [2007, '2007-02-17'], // China's was 18 February
      [2023, '2023-01-22'],
      [2024, '2024-02-10'],
      [2025, '2025-01-29'],
      [2026, '2026-02-17'],
      [2027, '2027-02-06'],
      [2030, '2030-02-02'],
    ];
    for (const [year, day] of official) assert.equal(lunarNewYear(year), day, String(year));
  });

  it('finds a lunar day across a leap month (Hùng Kings day, 10/3, in 2023 after a leap 2nd month)', () => {
    assert.equal(lunarDayInYear(2023, 3, 10), '2023-04-29');
    assert.equal(lunarDayInYear(2024, 3, 10), '2024-04-18');
    assert.equal(lunarDayInYear(2025, 3, 10), '2025-04-07');
  });

  it('puts the 30-day Tết wave of 2025 across the new year', () => {
    assert.equal(addDays(lunarNewYear(2025), -30), '2024-12-30');
  });

  it('refuses years outside the range the series is reliable in', () => {
    assert.throws(() => lunarNewYear(3000), RangeError);
  });
});

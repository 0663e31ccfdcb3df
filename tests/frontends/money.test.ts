import { describe, expect, it } from 'vitest';
import {
  formatMoney,
  formatPerMeal,
  minorToMajorInput,
  parseMajorToMinor,
} from '../../frontends/lib/money.js';

describe('parseMajorToMinor: pounds typed by a person → integer pence', () => {
  it.each([
    ['12', 1200],
    ['12.5', 1250],
    ['12.50', 1250],
    ['12.', 1200],
    ['0.1', 10],
    ['.5', 50],
    ['£45.00', 4500],
    ['£ 45', 4500],
    ['1,234.56', 123456],
    ['  7.05 ', 705],
    ['0.29', 29],
    ['1000000', 100000000],
  ])('when the input is %j, then it is %i pence', (input, minor) => {
    expect(parseMajorToMinor(input)).toEqual({ ok: true, minor });
  });

  it('when the decimal would lose precision as a float (0.29 * 100 = 28.999…), then the pence are still exact', () => {
    for (const [input, minor] of [
      ['0.29', 29],
      ['1.15', 115],
      ['4.35', 435],
      ['19.99', 1999],
    ] as const) {
      expect(parseMajorToMinor(input)).toEqual({ ok: true, minor });
    }
  });

  it.each([
    ['', 'Please enter an amount.'],
    ['   ', 'Please enter an amount.'],
    ['-5', 'The amount cannot be negative.'],
    ['12.345', 'Use at most two decimal places (pence).'],
    ['abc', 'Enter an amount like 12.50.'],
    ['1e3', 'Enter an amount like 12.50.'],
    ['12,34', 'Enter an amount like 12.50.'],
    ['1.2.3', 'Enter an amount like 12.50.'],
    ['1234567890', 'That amount is too large.'],
  ])('when the input is %j, then it is refused with %j', (input, error) => {
    expect(parseMajorToMinor(input)).toEqual({ ok: false, error });
  });

  it('when limits are given, then amounts outside them are refused with the limit in pounds', () => {
    expect(parseMajorToMinor('0.49', { min: 50 })).toEqual({
      ok: false,
      error: 'The amount must be at least £0.50.',
    });
    expect(parseMajorToMinor('0.50', { min: 50 })).toEqual({ ok: true, minor: 50 });
    expect(parseMajorToMinor('43.51', { max: 4350 })).toEqual({
      ok: false,
      error: 'The amount can be at most £43.50.',
    });
    expect(parseMajorToMinor('43.50', { max: 4350 })).toEqual({ ok: true, minor: 4350 });
  });
});

describe('minorToMajorInput: pence → the figure a pounds input shows', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [50, '0.50'],
    [1250, '12.50'],
    [100000000, '1000000.00'],
    [-705, '-7.05'],
  ])('when the amount is %i, then the input shows %j', (minor, text) => {
    expect(minorToMajorInput(minor)).toBe(text);
  });

  it('when a shown amount is parsed back, then it is the same number of pence', () => {
    for (const minor of [0, 1, 29, 99, 100, 115, 4350, 8900, 123456, 99999999]) {
      expect(parseMajorToMinor(minorToMajorInput(minor))).toEqual({ ok: true, minor });
    }
  });
});

describe('formatMoney and formatPerMeal', () => {
  it('when pence are formatted for en-GB, then they read as pounds', () => {
    expect(formatMoney(4350, 'gbp', 'en-GB')).toBe('£43.50');
  });
  it('when the price is split per meal, then it is rounded to the penny', () => {
    expect(formatPerMeal(4350, 6, 'gbp', 'en-GB')).toBe('£7.25 a meal');
    expect(formatPerMeal(1000, 3, 'gbp', 'en-GB')).toBe('£3.33 a meal');
  });
  it('when there are no meals, then there is no per-meal price', () => {
    expect(formatPerMeal(1000, 0, 'gbp')).toBe('');
  });
});

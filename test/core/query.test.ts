/** The pure parts of querying: placeholders, literals, Athena's price and one result typing. */
import { describe, expect, it } from 'vitest';
import { athenaCostUsd } from '../../central/core/query/cost.js';
import { countPlaceholders, parameterProblem, sqlLiteral } from '../../central/core/query/parameters.js';
import { baseType, valueOfText } from '../../central/core/query/values.js';

describe('countPlaceholders', () => {
  it.each([
    ['SELECT * FROM t WHERE a = ? AND b IN (?, ?)', 3],
    ["SELECT '?' AS q, 'it''s ?' AS r FROM t WHERE a = ?", 1],
    ['SELECT "what?" FROM t WHERE a = ? -- is it?\nAND b = ?', 2],
    ['SELECT /* why? */ 1 WHERE a = ?', 1],
    ["SELECT 'unterminated ?", 0],
  ])('counts the placeholders outside literals, identifiers and comments in %j', (sql, n) => {
    expect(countPlaceholders(sql)).toBe(n);
  });
});

describe('parameterProblem', () => {
  it('accepts as many strings and numbers as placeholders', () => {
    expect(parameterProblem({ sql: 'SELECT ? AS a, ? AS b', parameters: ['x', 1.5] })).toBeUndefined();
  });
  it('names a count mismatch, a non-finite number and an unsafe integer', () => {
    expect([
      parameterProblem({ sql: 'SELECT 1', parameters: ['x'] }),
      parameterProblem({ sql: 'SELECT ?', parameters: [Number.POSITIVE_INFINITY] }),
      parameterProblem({ sql: 'SELECT ?', parameters: [2 ** 53 + 2] }),
    ]).toEqual([
      'the statement has 0 placeholders but 1 parameters were given',
      'parameter 1 is Infinity, not a finite number',
      'parameter 1 is an integer beyond 2^53; pass it as a string',
    ]);
  });
});

describe('sqlLiteral', () => {
  it('quotes strings with inner quotes doubled and leaves numbers bare', () => {
    expect([sqlLiteral("' OR 1=1 --"), sqlLiteral(''), sqlLiteral('a\\b'), sqlLiteral(443), sqlLiteral(-7), sqlLiteral(0.25), sqlLiteral(1e21)]).toEqual([
      "''' OR 1=1 --'", "''", "'a\\b'", '443', '-7', '2.5E-1', '1E+21',
    ]);
  });
  it('refuses NaN', () => {
    expect(() => sqlLiteral(Number.NaN)).toThrow(RangeError);
  });
});

describe('athenaCostUsd', () => {
  it('charges $5 a TB, at least 10 MB, rounded up to the megabyte, nothing for no scan', () => {
    const MB = 1024 ** 2;
    expect([athenaCostUsd(0), athenaCostUsd(1), athenaCostUsd(10 * MB), athenaCostUsd(10 * MB + 1), athenaCostUsd(1024 ** 4)]).toEqual([
      0, (10 * 5) / 1024 ** 2, (10 * 5) / 1024 ** 2, (11 * 5) / 1024 ** 2, 5,
    ]);
  });
});

describe('valueOfText', () => {
  it('types text by its column: exact integers as numbers, beyond 2^53 as text, NULL as null', () => {
    expect([
      valueOfText('bigint', '42'), valueOfText('bigint', '9007199254740993'), valueOfText('integer', '-3'), valueOfText('double', '0.5'),
      valueOfText('double', 'NaN'), valueOfText('boolean', 'true'), valueOfText('boolean', 'false'), valueOfText('varchar', ''), valueOfText('varchar', undefined),
      valueOfText('row', '{clientip=192.0.2.10}'),
    ]).toEqual([42, '9007199254740993', -3, 0.5, Number.NaN, true, false, '', null, '{clientip=192.0.2.10}']);
  });
  it('reads the base of a parameterised type', () => {
    expect([baseType('varchar(12)'), baseType('decimal(10,2)'), baseType('BIGINT')]).toEqual(['varchar', 'decimal', 'bigint']);
  });
});

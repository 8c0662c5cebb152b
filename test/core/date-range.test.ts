/**
 * The implicit range of a FHIR date at its precision (http://hl7.org/fhir/R4/search.html#date),
 * including the ends of a year and of a month, where the range crosses into the next year.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dateRange } from '../../src/core/index.js';

describe('dateRange', () => {
  const cases: [string, string, string][] = [
    ['2024', '2024-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'],
    ['2023-12', '2023-12-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'],
    ['2023-12-31', '2023-12-31T00:00:00.000Z', '2024-01-01T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
    ['0099-12-31', '0099-12-31T00:00:00.000Z', '0100-01-01T00:00:00.000Z'],
    ['2024-03-05T23:30:00-05:00', '2024-03-06T04:30:00.000Z', '2024-03-06T04:30:01.000Z'],
    ['2023-12-31T23:59:59.5Z', '2023-12-31T23:59:59.500Z', '2023-12-31T23:59:59.501Z'],
  ];
  for (const [value, start, end] of cases) {
    it(value, () => {
      const range = dateRange(value);
      assert.equal(range?.start, start);
      assert.equal(range?.end, end);
    });
  }

  it('rejects dates that do not exist', () => {
    for (const value of ['2023-02-29', '2024-13', '2024-04-31', '2024-01-01T24:00:00Z', 'soon']) assert.equal(dateRange(value), undefined, value);
  });
});

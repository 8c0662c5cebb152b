/**
 * The shape of the SQL views compile to: plain JSONB operators for single-valued paths (so a view
 * costs what hand-written SQL costs), lateral joins for forEach and friends, values always bound as
 * parameters, and literals in DDL text only through ddlText.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { compileView, ddlText, parseView, type ViewSource } from '../../src/sof/index.js';
import { compile } from '../../src/sql/index.js';
import { coreViewSource } from './core-view-source.js';

let source: ViewSource;
before(async () => { ({ source } = await coreViewSource()); });

const sqlOf = (view: unknown) => compile(compileView(source, parseView(view)).select());

describe('single-valued paths', () => {
  it('compile to JSONB operators on the row, with no subquery and no join', () => {
    const { text, values } = sqlOf({
      resource: 'Observation',
      select: [{ column: [
        { name: 'patient', path: 'subject.getReferenceKey(Patient)' },
        { name: 'code', path: 'code.coding.first().code' },
        { name: 'value', path: 'value.ofType(Quantity).value' },
        { name: 'unit', path: 'value.ofType(Quantity).unit' },
        { name: 'effective', path: 'effective.ofType(dateTime)' },
      ] }],
    });
    assert.equal(text.match(/SELECT/g)?.length, 1);
    assert.doesNotMatch(text, /JOIN/);
    assert.match(text, /r\.resource -> 'code' -> 'coding' -> 0/);
    assert.match(text, /\(r\.resource -> 'valueQuantity' -> 'value'\)::numeric AS "value"/);
    assert.match(text, /r\.resource ->> 'effectiveDateTime'/);
    assert.match(text, /FROM "observation" AS r/);
    assert.deepEqual(values, []);
  });

  it('read the id and meta of the resource from the row', () => {
    const { text } = sqlOf({ resource: 'Patient', select: [{ column: [{ name: 'id', path: 'id' }, { name: 'version', path: 'meta.versionId' }] }] });
    assert.match(text, /r\.id AS "id"/);
    assert.match(text, /fhir\.meta\(r\.resource -> 'meta', r\.txid, r\.ts\)/);
  });
});

describe('iterations', () => {
  it('forEach is a cross join, forEachOrNull a left join, repeat a recursive walk, unionAll a UNION ALL', () => {
    assert.match(sqlOf({ resource: 'Patient', select: [{ forEach: 'name', column: [{ name: 'f', path: 'family' }] }] }).text, /CROSS JOIN LATERAL/);
    assert.match(sqlOf({ resource: 'Patient', select: [{ forEachOrNull: 'name', column: [{ name: 'f', path: 'family' }] }] }).text, /LEFT JOIN LATERAL .* ON true/s);
    assert.match(sqlOf({ resource: 'QuestionnaireResponse', select: [{ repeat: ['item'], column: [{ name: 'l', path: 'linkId' }] }] }).text, /WITH RECURSIVE/);
    const union = sqlOf({ resource: 'Patient', select: [{ unionAll: [{ forEach: 'name', column: [{ name: 'n', path: 'family' }] }, { forEach: 'contact.name', column: [{ name: 'n', path: 'family' }] }] }] });
    assert.match(union.text, /UNION ALL/);
  });

  it('names each iteration by its path, so the statement reads as the view', () => {
    const text = (select: unknown) => sqlOf({ resource: 'QuestionnaireResponse', select: [select] }).text;
    assert.match(text({ forEach: "item.where(linkId = '/*')", column: [{ name: 'l', path: 'linkId' }] }), /\/\* forEach item\.where\(linkId = '\/ \*'\) \*\/ CROSS JOIN LATERAL/);
    assert.match(text({ forEachOrNull: 'item', column: [{ name: 'l', path: 'linkId' }] }), /\/\* forEachOrNull item \*\/ LEFT JOIN LATERAL/);
    assert.match(text({ repeat: ['item', 'answer.item'], column: [{ name: 'l', path: 'linkId' }] }), /\/\* repeat item \| answer\.item \*\/ /);
  });
});

describe('values', () => {
  const view = {
    resource: 'Patient',
    constant: [{ name: 'family', valueString: "O'Brien" }],
    select: [{ column: [{ name: 'match', path: "name.where(family = %family and use = 'official').exists()" }] }],
  };

  it('are bound as parameters in queries', () => {
    const { text, values } = sqlOf(view);
    assert.doesNotMatch(text, /O'Brien|official/);
    assert.deepEqual(values, ["O'Brien", 'official']);
  });

  it('are written as quoted literals in DDL text', () => {
    const text = ddlText(compileView(source, parseView(view)).select());
    assert.match(text, /'O''Brien'::text/);
    assert.match(text, /'official'::text/);
    assert.doesNotMatch(text, /\$\d/);
  });
});

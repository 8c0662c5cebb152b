/**
 * The batched stdout log stream: request lines are written together once 4 kB have gathered,
 * warnings and errors at once, and whatever is left when the stream closes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BatchedLogStream } from '../../src/http/index.js';

function sink(): { writes: string[]; out: { write(text: string): boolean } } {
  const writes: string[] = [];
  return { writes, out: { write: (text: string) => { writes.push(text); return true; } } };
}

const infoLine = (i: number) => `${JSON.stringify({ level: 30, msg: 'request', path: `/fhir/Patient/${i}`, padding: 'x'.repeat(60) })}\n`;

describe('batched log stream', () => {
  it('writes request lines together, in order, once 4 kB have gathered', () => {
    const { writes, out } = sink();
    const stream = new BatchedLogStream(out);
    const lines = Array.from({ length: 100 }, (_, i) => infoLine(i));
    for (const line of lines) stream.write(line);
    assert.ok(writes.length >= 1 && writes.length < 10, `${writes.length} writes for 100 lines`);
    stream.close();
    assert.equal(writes.join(''), lines.join(''));
  });

  it('writes warnings and errors at once, with the lines before them', () => {
    const { writes, out } = sink();
    const stream = new BatchedLogStream(out);
    stream.write(infoLine(1));
    assert.deepEqual(writes, []);
    const error = `${JSON.stringify({ level: 50, msg: 'unexpected error' })}\n`;
    stream.write(error);
    assert.deepEqual(writes, [infoLine(1) + error]);
    const warning = `${JSON.stringify({ level: 40, msg: 'slow' })}\n`;
    stream.write(warning);
    assert.deepEqual(writes, [infoLine(1) + error, warning]);
    stream.close();
  });

  it('writes what is left when it closes, and nothing when there is nothing', () => {
    const { writes, out } = sink();
    const stream = new BatchedLogStream(out);
    stream.flush();
    assert.deepEqual(writes, []);
    stream.write(infoLine(2));
    stream.close();
    assert.deepEqual(writes, [infoLine(2)]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from './json-position.js';

/** V8's own offset when its message carries one ("... at position N"). */
function v8Offset(text: string): number | undefined {
  try {
    JSON.parse(text);
    return -1;
  } catch (error) {
    const m = /at position (\d+)/.exec((error as Error).message);
    return m ? Number(m[1]) : undefined;
  }
}

describe('jsonErrorOffset', () => {
  it('finds the offending character in hand-made cases', () => {
    expect(jsonErrorOffset('{"a": [1, 2]}')).toBe(-1);
    expect(jsonErrorOffset('{"a": [1, 2,]}')).toBe(12);
    expect(jsonErrorOffset('{"a": 1,,}')).toBe(8);
    expect(jsonErrorOffset('{"a": tru}')).toBe(9);
    expect(jsonErrorOffset('{"a": 01}')).toBe(7);
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
    expect(jsonErrorOffset('{"a": [1')).toBe(8); // end of input
    expect(jsonErrorOffset('"\\x"')).toBe(2);
  });

  it('agrees with JSON.parse on validity, and with V8 on the offset whenever V8 reports one', () => {
    const alphabet = fc.constantFrom(...'{}[]",:0123456789.eE+-truefalsn \n\\'.split(''));
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.array(alphabet, { maxLength: 3 }), (json, at, insert) => {
        const cut = at % (json.length + 1);
        const text = json.slice(0, cut) + insert.join('') + json.slice(cut);
        const ours = jsonErrorOffset(text);
        const theirs = v8Offset(text);
        expect(ours === -1).toBe(theirs === -1);
        if (theirs !== undefined) expect(ours).toBe(theirs);
      }),
      { numRuns: 2000 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { MINERAL_BASES, mineralBasis } from './bases.js';

describe('mineral bases', () => {
  it.each([
    ['olivine', 4, 3],
    ['Ol', 4, 3],
    ['pyroxene', 6, 4],
    ['CPX', 6, 4],
    ['orthopyroxene', 6, 4],
    ['feldspar', 8, 5],
    ['Plagioclase', 8, 5],
    ['garnet', 12, 8],
    ['Grt', 12, 8],
    ['spinel', 4, 3],
    ['magnetite', 4, 3],
    ['amphibole', 23, undefined],
    ['Hbl', 23, undefined],
    ['mica', 22, undefined],
    ['biotite', 22, undefined],
    ['  alkali   feldspar ', 8, 5],
  ])('%j: %d oxygens, %s cations', (name, oxygens, cations) => {
    const basis = mineralBasis(name);
    expect(basis?.oxygens).toBe(oxygens);
    expect(basis?.cations).toBe(cations);
  });

  it('knows each name once, and every basis is anhydrous oxygens with cations fewer than them', () => {
    const names = MINERAL_BASES.flatMap((b) => b.names.map((n) => n.toLowerCase()));
    expect(new Set(names).size).toBe(names.length);
    for (const b of MINERAL_BASES) {
      expect(b.oxygens).toBeGreaterThan(0);
      if (b.cations !== undefined) expect(b.cations).toBeLessThan(b.oxygens);
    }
  });

  it('does not guess: unknown names and numbers are no mineral', () => {
    for (const name of ['olivin', 'px2', '4', '', 'unknown'])
      expect(mineralBasis(name)).toBeUndefined();
  });
});

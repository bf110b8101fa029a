import {
  BELOW_DETECTION_MARKERS,
  NOT_ANALYSED_MARKERS,
  recogniseHeaders,
} from '@labkit/epma-convert';
import { describe, expect, it } from 'vitest';
import { renderHeaderExamples, renderMarkers } from './input-rules.js';

describe('renderHeaderExamples', () => {
  const page = renderHeaderExamples(recogniseHeaders, [
    { header: 'SiO2(Mass%)' },
    { header: 'Wt% Si' },
    { header: 'SiO2(Error%)', besides: ['SiO2'] },
    { header: 'SiO2 1σ', besides: ['SiO2'] },
    { header: 'Si(K-ratio)' },
    { header: 'Total(Mass%)' },
    { header: 'Comment' },
    { header: 'NiO (ppm)' },
    { header: 'SiO2 (ppb)' },
  ]);
  const row = (header: string) => page.split('\n').find((l) => l.startsWith(`| \`${header}\``));

  it('describes each header as the library reads it', () => {
    expect(row('SiO2(Mass%)')).toBe('| `SiO2(Mass%)` | SiO2 wt% (oxide) |');
    expect(row('Wt% Si')).toBe('| `Wt% Si` | Si wt% (element) |');
    expect(row('SiO2(Error%)')).toBe('| `SiO2(Error%)` | 1σ of SiO2, relative % |');
    expect(row('SiO2 1σ')).toBe('| `SiO2 1σ` | 1σ of SiO2, absolute wt% |');
    expect(row('Si(K-ratio)')).toBe(
      '| `Si(K-ratio)` | recognised, not used (k-ratio; refused if no wt% column gives the element) |',
    );
    expect(row('Total(Mass%)')).toBe('| `Total(Mass%)` | the analytical total |');
    expect(row('Comment')).toBe('| `Comment` | copied through unchanged |');
    expect(row('NiO (ppm)')).toBe('| `NiO (ppm)` | NiO ppm, read as wt% / 10⁴ (oxide) |');
  });

  it('marks headers that look like composition but are not understood as refused', () => {
    expect(row('SiO2 (ppb)')).toBe(
      '| `SiO2 (ppb)` | **refused** ("(ppb)" after SiO2 is not a unit or qualifier labkit knows) |',
    );
  });
});

describe('renderMarkers', () => {
  it('lists every marker the cell reader accepts', () => {
    const text = renderMarkers(BELOW_DETECTION_MARKERS, NOT_ANALYSED_MARKERS);
    for (const marker of [...BELOW_DETECTION_MARKERS, ...NOT_ANALYSED_MARKERS])
      expect(text).toContain(`\`${marker}\``);
    expect(text).toContain('`<0.02`');
  });
});

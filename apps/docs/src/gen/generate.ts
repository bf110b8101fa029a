/**
 * Writes the pages that are generated from code, before `vitepress build`: whatever can drift
 * (the CLI's flags, the atomic-weight table, the worked examples) is never written by hand.
 */

import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commands } from '@labkit/cli';
import {
  ATOMIC_WEIGHTS_SOURCE,
  BELOW_DETECTION_MARKERS,
  ELEMENTS,
  NOT_ANALYSED_MARKERS,
  recogniseHeaders,
} from '@labkit/epma-convert';
import * as trainingConfig from '@labkit/nn-core/config';
import { renderAtomicWeights } from './atomic-weights.js';
import { buildSample, SAMPLE_FILE, SAMPLE_MANIFEST, sampleDataDir } from './cifar-sample.js';
import { renderCliReference } from './cli-reference.js';
import { fillOutputBlocks, outputCommands } from './command-output.js';
import { type HeaderExample, renderHeaderExamples, renderMarkers } from './input-rules.js';
import { renderReadmeSection } from './readme-section.js';
import { type LabkitRun, runLabkit } from './run-labkit.js';
import { renderTrainingTour } from './tour.js';
import { renderTrainingDefaults } from './training-defaults.js';
import { renderWorkedExamples, type WorkedExample } from './worked-examples.js';
import { writeFileAtomic } from './write-atomic.js';

// Compiled to apps/docs/dist/gen/generate.js: the docs package is two folders up.
const docsRoot = fileURLToPath(new URL('../../', import.meta.url));
const repoRoot = resolve(docsRoot, '../..');

const WORKED_EXAMPLES: readonly WorkedExample[] = [
  {
    title: 'Olivine: oxide wt% to atomic percent',
    file: 'examples/epma/olivine-oxides.csv',
    args: ['epma', 'convert', 'examples/epma/olivine-oxides.csv', '--format', 'md'],
    note: 'San Carlos olivine and two ideal compositions. Oxygen comes from the oxide stoichiometry; `bdl` cells count as 0 under the default policy and each one is named in `flags`. The ideal Fo90 row matches, to the rounding shown, the hand calculation of the [EPMA guide](./guide.md#hand-calculation).',
  },
  {
    title: 'Olivine: formula on 4 oxygens',
    file: 'examples/epma/olivine-oxides.csv',
    args: [
      'epma',
      'formula',
      'examples/epma/olivine-oxides.csv',
      '--oxygens',
      '4',
      '--format',
      'md',
    ],
    note: 'The same file as atoms per formula unit. An olivine has 3 cations per 4 oxygens, so the cation sum is a check on the analysis.',
  },
  {
    title: 'Element wt% with below-detection markers',
    file: 'examples/epma/element-wt.csv',
    args: ['epma', 'convert', 'examples/epma/element-wt.csv', '--format', 'md'],
    note: 'Element columns (`Si wt%`, ...) with oxygen as its own measured column, and the markers `n.d.` and `<0.012`.',
  },
  {
    title: 'A JEOL export with relative uncertainties',
    file: 'examples/epma/jeol-export.csv',
    args: ['epma', 'convert', 'examples/epma/jeol-export.csv', '--format', 'md'],
    note: 'JEOL headers: `SiO2(Mass%)` is read as composition, `(Error%)` as a relative 1σ that is propagated to the `at% 1σ` columns (see [uncertainty propagation](./guide.md#uncertainty)), and `(Norm%)`, `(D.L.)`, `(K-ratio)` are recognised and not used. `No.`, `Comment`, `X`, `Y`, `Z` pass through.',
  },
  {
    title: 'Semicolons and decimal commas',
    file: 'examples/epma/augite-semicolon-decimal-comma.csv',
    args: ['epma', 'convert', 'examples/epma/augite-semicolon-decimal-comma.csv', '--format', 'md'],
    note: 'A European-locale export (`;` delimiter, decimal comma, byte-order mark, CRLF line ends), detected without flags. FeO and Fe2O3 columns both contribute to Fe.',
  },
  {
    title: 'Spinels: Fe³⁺ by charge balance',
    file: 'examples/epma/spinel-oxides.csv',
    args: [
      'epma',
      'formula',
      'examples/epma/spinel-oxides.csv',
      '--oxygens',
      '4',
      '--fe3',
      'droop',
      '--cations',
      '3',
      '--format',
      'md',
    ],
    note: 'Spinel-group end-members with all iron reported as FeO (`FeOt`), recalculated on 4 oxygens and 3 cations with Droop’s equation. Magnetite comes out as Fe²⁺ 1, Fe³⁺ 2, as derived in the [EPMA guide](./guide.md#droop). Where rounding of the input puts the estimate outside 0 … total Fe, it is clamped and the row’s flags say so.',
  },
  {
    title: 'Pyroxenes: Fe³⁺ on 6 oxygens and 4 cations',
    file: 'examples/epma/pyroxene-feot.csv',
    args: [
      'epma',
      'formula',
      'examples/epma/pyroxene-feot.csv',
      '--oxygens',
      '6',
      '--fe3',
      'droop',
      '--cations',
      '4',
      '--format',
      'md',
    ],
    note: 'Two augite reference materials with total Fe as FeO. For the chromium augite the charge-balance estimate of Fe³⁺/ΣFe agrees with its wet-chemical FeO and Fe2O3; for the Kakanui augite it does not, because every cation error of the analysis lands on Fe³⁺ (see `examples/epma/README.md`).',
  },
];

const SIGMA_BESIDE = ['SiO2'];
const HEADER_EXAMPLES: readonly HeaderExample[] = [
  ...[
    'Si',
    'Si wt%',
    'Si (wt%)',
    'SI_WT%',
    'Wt% Si',
    'Si(Mass%)',
    'SiO2',
    'SIO2 WT%',
    'SiO2(Mass%)',
    'SiO2 Gew.%',
    'SiO2 % pds',
    'SiO2 % peso',
    'SiO2(質量%)',
    'FeOt',
    'FeOtot',
    'FeO total',
    'Fe2O3(t)',
    'Total Fe as FeO',
    'TotalFeO',
    'Tot. FeO',
    'TFeO',
    'FeT',
    '%FeO',
    'NiO (ppm)',
    'Ni µg/g',
  ].map((header) => ({ header })),
  ...['SiO2 1σ', 'SiO2 err', 'SiO2 sd', 'SiO2(Error%)', 'SiO2 %Err', 'SiO2 RSD'].map((header) => ({
    header,
    besides: SIGMA_BESIDE,
  })),
  ...['Si(Norm%)', 'Si(Cation)', 'Si(K-ratio)', 'Si(Net)', 'Si(D.L.)', 'Si at%'].map((header) => ({
    header,
  })),
  ...['Total', 'Total(Mass%)', 'Sum', 'Oxide total', 'Summe', 'Somme', 'Suma', '合計'].map(
    (header) => ({ header }),
  ),
  ...['Point', 'Comment', 'X', 'Y', 'No.', 'Mg#', 'X (mm)', 'nA', 'kV'].map((header) => ({
    header,
  })),
  ...[
    'SiO2 (ppb)',
    'Xx wt%',
    'Total Fe',
    'MgOt',
    'Mean FeO',
    'NA',
    'HF',
    'FeII',
    'Fe2+',
    'AlIV',
    'LiF',
  ].map((header) => ({ header })),
];

async function workedExamplesPage(): Promise<string> {
  const results = [];
  for (const example of WORKED_EXAMPLES) {
    const input = readFileSync(resolve(repoRoot, example.file), 'utf8');
    results.push({ example, input, run: await runLabkit(example.args, repoRoot) });
  }
  return renderWorkedExamples(results);
}

/**
 * The README's "what you should see" blocks hold the real output of their commands: rewritten from
 * a run at every build (a test fails when the committed README differs).
 */
async function readmeWithRealOutput(): Promise<string> {
  const path = resolve(repoRoot, 'README.md');
  const readme = readFileSync(path, 'utf8');
  const runs = new Map<string, LabkitRun>();
  for (const args of outputCommands(readme))
    runs.set(args.join(' '), await runLabkit(args, repoRoot));
  const filled = fillOutputBlocks(readme, runs);
  if (filled !== readme) {
    writeFileAtomic(path, filled);
    console.log('docs: rewrote the command output in README.md');
  }
  return filled;
}

const readme = await readmeWithRealOutput();

const pages: Record<string, () => string | Promise<string>> = {
  'reference/cli.md': () => renderCliReference(commands),
  'epma/atomic-weights.md': () => renderAtomicWeights(ELEMENTS, ATOMIC_WEIGHTS_SOURCE),
  'epma/examples.md': workedExamplesPage,
  // Fragments included by other pages (files starting with _ are not pages).
  'guide/_two-commands.md': () => renderReadmeSection(readme, 'Two commands'),
  'guide/_tour-training.md': () => renderTrainingTour(trainingConfig.DEFAULT_TRAINING),
  'epma/_headers.md': () => renderHeaderExamples(recogniseHeaders, HEADER_EXAMPLES),
  'epma/_markers.md': () => renderMarkers(BELOW_DETECTION_MARKERS, NOT_ANALYSED_MARKERS),
  'training/_defaults.md': () => renderTrainingDefaults(trainingConfig),
};

for (const [path, render] of Object.entries(pages)) {
  writeFileAtomic(resolve(docsRoot, path), await render());
  console.log(`docs: generated ${path}`);
}

// The in-browser training page's images (public/, copied into the site; never committed).
const sample = buildSample(sampleDataDir(repoRoot));
if (sample.bytes) writeFileAtomic(resolve(docsRoot, 'public', SAMPLE_FILE), sample.bytes);
else rmSync(resolve(docsRoot, 'public', SAMPLE_FILE), { force: true });
writeFileAtomic(
  resolve(docsRoot, 'public', SAMPLE_MANIFEST),
  `${JSON.stringify(sample.manifest)}\n`,
);
console.log(
  sample.manifest.available
    ? `docs: generated public/${SAMPLE_FILE} (${sample.manifest.source})`
    : `docs: no CIFAR-10 sample: ${sample.manifest.reason}`,
);

// TF.js's wasm binaries, served beside the pages for the recipe worker: the very files of the
// @tensorflow/tfjs-backend-wasm that nn-core depends on (the single-threaded builds it runs).
const nnCore = createRequire(import.meta.url).resolve('@labkit/nn-core/package.json');
const wasmDir = resolve(
  dirname(createRequire(nnCore).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
  'dist',
);
mkdirSync(resolve(docsRoot, 'public', 'tfjs-wasm'), { recursive: true });
for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) {
  copyFileSync(resolve(wasmDir, name), resolve(docsRoot, 'public', 'tfjs-wasm', name));
}
console.log('docs: copied the TF.js wasm binaries to public/tfjs-wasm/');

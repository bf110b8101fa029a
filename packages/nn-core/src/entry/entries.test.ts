/**
 * The public surface of @labkit/nn-core, entry by entry: the export lists are snapshots (a change
 * to the public API shows up in review), and the light entries load no TensorFlow.js.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  exports: Record<string, { default: string } | string>;
};

/** `./config` -> src/entry/config.ts, from the exports map (dist/X.js is built from src/X.ts). */
function sourceOf(entry: string): string {
  const target = manifest.exports[entry];
  if (typeof target !== 'object') throw new Error(`no module entry ${entry}`);
  return join(packageDir, target.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
}

/**
 * Every module a module loads when it is imported: its static imports and re-exports, except
 * `import type` / `export type` statements, which the compiler erases (unless `types`: then the
 * modules its declarations may name too). Relative ones are followed.
 */
function loadedModules(file: string, seen = new Set<string>(), types = false): Set<string> {
  const text = readFileSync(file, 'utf8');
  const statements = types
    ? /^(?:import|export)\s+(?:[^'";]*?\sfrom\s+)?'([^']+)';/gms
    : /^(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?'([^']+)';/gms;
  for (const [, specifier] of text.matchAll(statements)) {
    if (!specifier) continue;
    if (!specifier.startsWith('.')) {
      seen.add(specifier);
      continue;
    }
    const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
    if (seen.has(target)) continue;
    seen.add(target);
    if (existsSync(target)) loadedModules(target, seen, types); // else generated JavaScript (dist/)
  }
  return seen;
}

const tfjs = (modules: Set<string>) =>
  [...modules].filter((m) => m.startsWith('@tensorflow/') || m.endsWith('/tfjs.ts'));

describe('@labkit/nn-core entries', () => {
  it('has the entries the README documents', () => {
    expect(Object.keys(manifest.exports)).toEqual([
      '.',
      './config',
      './data',
      './recipe',
      './report',
      './bench',
      './browser',
      './package.json',
    ]);
  });

  it.each(['./config', './data', './recipe'])('%s loads no TensorFlow.js', (entry) => {
    const modules = loadedModules(sourceOf(entry));
    expect(modules.size).toBeGreaterThan(3);
    expect(tfjs(modules)).toEqual([]);
  });

  it.each(['./config', './data', './recipe'])(
    '%s names no TF.js type either (its declarations check in an install without TF.js)',
    (entry) => {
      expect(tfjs(loadedModules(sourceOf(entry), new Set(), true))).toEqual([]);
    },
  );

  it('the type check above sees TF.js types where they are (./report)', () => {
    expect(tfjs(loadedModules(sourceOf('./report'), new Set(), true))).not.toEqual([]);
  });

  it('./browser loads no Node module (it runs in web pages and Web Workers)', () => {
    const modules = [...loadedModules(sourceOf('./browser'))];
    expect(modules.length).toBeGreaterThan(20);
    expect(modules).toContain('@tensorflow/tfjs-backend-wasm');
    expect(
      modules.filter(
        (m) => m.startsWith('node:') || /^(fs|path|os|crypto|tar|pngjs|jpeg-js)$/.test(m),
      ),
    ).toEqual([]);
  });

  it('the Node-only checks above see Node modules where they are (the training entry)', () => {
    expect(
      [...loadedModules(sourceOf('.'))].filter((m) => m.startsWith('node:')).length,
    ).toBeGreaterThan(3);
  });

  it('./browser', async () => {
    expect(Object.keys(await import('./browser.js')).sort()).toMatchInlineSnapshot(`
      [
        "CIFAR10_CLASSES",
        "CifarFormatError",
        "DEFAULT_RECIPE",
        "DEFAULT_SPEC",
        "IMAGE_SIZE",
        "OVERFIT_DEFAULT_STEPS",
        "RECORD_SIZE",
        "VERDICT_TITLE",
        "argMax",
        "diagnose",
        "formatDiagnosis",
        "formatOverfitResult",
        "initBrowserBackend",
        "modelFromJson",
        "parseCifarBatch",
        "predictProbabilities",
        "recipeContext",
        "runOverfitCheck",
        "toCifarImage",
        "toEpochPoint",
        "trainInMemory",
        "trainedModel",
      ]
    `);
  });

  it('the training entry does load TensorFlow.js (the check above can see it)', () => {
    expect(tfjs(loadedModules(sourceOf('.')))).toContain('@tensorflow/tfjs-core');
  });

  it('./data', async () => {
    expect(Object.keys(await import('./data.js')).sort()).toMatchInlineSnapshot(`
      [
        "CIFAR10_MD5",
        "CIFAR10_URL",
        "Cifar10NotFoundError",
        "UnsafeArchiveError",
        "cacheDir",
        "createDownloadProgressReporter",
        "fetchCifar10",
        "fetchTarget",
        "formatDownloadProgress",
        "locateCifar10",
        "missingCifarFiles",
      ]
    `);
  });

  it('./config', async () => {
    expect(Object.keys(await import('./config.js')).sort()).toMatchInlineSnapshot(`
      [
        "ACTIVATIONS",
        "AUGMENTATIONS",
        "BACKENDS",
        "BATCH_NORM_PLACEMENTS",
        "CIFAR10_CLASSES",
        "CIFAR10_MD5",
        "CIFAR10_URL",
        "Cifar10NotFoundError",
        "ConfigurationError",
        "DEFAULT_FIT_IMAGES",
        "DEFAULT_MISCLASSIFIED",
        "DEFAULT_RECIPE",
        "DEFAULT_SGD_MOMENTUM",
        "DEFAULT_SPEC",
        "DEFAULT_TRAINING",
        "DEFAULT_ZCA_EPSILON",
        "INITIALIZERS",
        "OPTIMIZERS",
        "OVERFIT_DEFAULT_STEPS",
        "RECIPE_MARK",
        "RecipeError",
        "SCHEDULES",
        "SEARCH_DEFAULTS",
        "SpecError",
        "WHITENING_KINDS",
        "countParameters",
        "parseConfigJson",
        "parseSpecJson",
        "recipeJson",
        "shellWord",
        "validateRecipe",
        "validateSpec",
      ]
    `);
  });

  it('./recipe', async () => {
    expect(Object.keys(await import('./recipe.js')).sort()).toMatchInlineSnapshot(`
      [
        "LR_RANGE_DEFAULTS",
        "RUN_JSON",
        "RunRequestError",
        "SpecError",
        "diagnose",
        "diagnoseRun",
        "formatDiagnosis",
        "halvingPlan",
        "lrAtStep",
        "readRunMetrics",
        "readRunRecord",
        "smoothLosses",
        "suggestLearningRate",
      ]
    `);
  });

  it('./report', async () => {
    expect(Object.keys(await import('./report.js')).sort()).toMatchInlineSnapshot(`
      [
        "DEFAULT_MISCLASSIFIED",
        "REPORT_HTML",
        "STEP_LOSS_SMOOTHING",
        "barChartSpec",
        "confusionSpec",
        "differingSettings",
        "gatherComparison",
        "gatherRunReport",
        "lineChartSpec",
        "mostConfusedPairs",
        "perClassAccuracy",
        "renderComparison",
        "renderReport",
        "renderSvg",
        "rowShares",
        "smoothStepLosses",
        "topLosses",
        "writeComparison",
        "writeRunReport",
      ]
    `);
  });

  it('./bench', async () => {
    expect(Object.keys(await import('./bench.js')).sort()).toMatchInlineSnapshot(`
      [
        "benchTrain",
        "pipelineThroughput",
      ]
    `);
  });

  it('.', async () => {
    expect(Object.keys(await import('../index.js')).sort()).toMatchInlineSnapshot(`
      [
        "ACTIVATIONS",
        "AUGMENTATIONS",
        "BACKENDS",
        "BATCH_NORM_PLACEMENTS",
        "CHECKPOINT_FILE",
        "CIFAR10_CLASSES",
        "CIFAR10_MD5",
        "CIFAR10_URL",
        "Cifar10NotFoundError",
        "ConfigurationError",
        "DEFAULT_FIT_IMAGES",
        "DEFAULT_MISCLASSIFIED",
        "DEFAULT_RECIPE",
        "DEFAULT_SGD_MOMENTUM",
        "DEFAULT_SPEC",
        "DEFAULT_TRAINING",
        "DEFAULT_ZCA_EPSILON",
        "DivergedRunError",
        "EVALUATION_JSON",
        "EigenConvergenceError",
        "INITIALIZERS",
        "LR_RANGE_DEFAULTS",
        "MODEL_DIR",
        "OPTIMIZERS",
        "OVERFIT_DEFAULT_STEPS",
        "RANK_BY",
        "RECIPE_MARK",
        "RUN_JSON",
        "RecipeError",
        "RunFileError",
        "RunLockedError",
        "RunRequestError",
        "SCHEDULES",
        "SEARCH_DEFAULTS",
        "SEARCH_FILES",
        "SEARCH_SPACE",
        "SearchResumeError",
        "SearchWorkerError",
        "SpecError",
        "TrainingDivergedError",
        "UnfinishedRunError",
        "UnsafeArchiveError",
        "WHITENING_BIN",
        "WHITENING_JSON",
        "WHITENING_KINDS",
        "arraySource",
        "autoWasmThreads",
        "balancedOrder",
        "buildModel",
        "cacheDir",
        "channelStats",
        "checkNewRunDir",
        "checkResultDir",
        "checkRunConfig",
        "checkTrainingMemory",
        "checkpointFile",
        "checkpointPlace",
        "claimNewSearchDir",
        "countParameters",
        "createDownloadProgressReporter",
        "createOptimizer",
        "describeBackend",
        "describeProgress",
        "describeTrial",
        "diagnose",
        "diagnoseRun",
        "eigh",
        "estimateTrainingMemory",
        "evaluate",
        "evaluateRun",
        "fetchCifar10",
        "fetchTarget",
        "finishedRunRecord",
        "finishedTrialCount",
        "fit",
        "fitZca",
        "flipPermutation",
        "foldWhitening",
        "formatDiagnosis",
        "formatDownloadProgress",
        "formatDuration",
        "formatEvaluation",
        "formatLrFind",
        "formatOverfitResult",
        "formatSearchTable",
        "halvingPlan",
        "imageCovariance",
        "imageSetSource",
        "initBackend",
        "learningRateAt",
        "loadCifar10",
        "loadLastCheckpoint",
        "loadModel",
        "loadTfjsNode",
        "loadTrainedModel",
        "locateCifar10",
        "lrAtStep",
        "missingCifarFiles",
        "openSearchForResume",
        "parseConfigJson",
        "parseSpecJson",
        "planResume",
        "predictProbabilities",
        "progressCallback",
        "readCifarBatch",
        "readPngImage",
        "readPredictionInput",
        "readRunMetrics",
        "readRunRecord",
        "recalibrateBatchNorm",
        "recipeJson",
        "releaseRunDirSync",
        "removeUnstartedRunDirSync",
        "resumeCommand",
        "runLrFinder",
        "runOverfitCheck",
        "runSearch",
        "runStatusWords",
        "sampleTrials",
        "saveModel",
        "scheduleByName",
        "searchCsv",
        "searchData",
        "searchPlan",
        "searchResumeCommand",
        "shellWord",
        "smoothLosses",
        "startSearchWorkers",
        "suggestLearningRate",
        "threadsFromEnv",
        "trainCommand",
        "trainRun",
        "trainStep",
        "trainTrial",
        "trialRecipe",
        "trialScore",
        "validateRecipe",
        "validateSpec",
        "whitenSet",
        "writeLrFindFiles",
        "zcaMatrix",
        "zcaWhitening",
      ]
    `);
  });
});

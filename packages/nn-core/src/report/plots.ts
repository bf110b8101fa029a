/** The report's charts as standalone SVG documents, by file name. */
import { lrFindChart } from '../recipe/lr-find.js';
import {
  barChartSpec,
  confusionSpec,
  lineChartSpec,
  type Marker,
  renderSvg,
  type Series,
} from './charts.js';
import type { ReportInput } from './html.js';
import { STEP_LOSS_SMOOTHING, smoothStepLosses } from './step-losses.js';

/** Per-class accuracy (recall) from a confusion matrix; NaN for a class with no test images. */
export function perClassAccuracy(confusion: readonly (readonly number[])[]): number[] {
  return confusion.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? Number.NaN : (row[i] ?? 0) / total;
  });
}

/** Series names of the loss chart; tests and the docs refer to them. */
export const LOSS_SERIES = {
  step: 'train, each step',
  smoothed: 'train, smoothed',
  epoch: 'train',
  val: 'validation',
} as const;

function lossSeries(input: ReportInput): Series[] {
  const e = input.epochs;
  const val: Series = {
    name: LOSS_SERIES.val,
    points: e.map((p) => [p.epoch, p.valLoss ?? Number.NaN] as const),
    dots: true,
  };
  const hasVal = e.some((p) => p.valLoss !== undefined);
  const steps = input.steps;
  if (!steps || steps.losses.length === 0) {
    return [
      { name: LOSS_SERIES.epoch, points: e.map((p) => [p.epoch, p.trainLoss] as const) },
      ...(hasVal ? [val] : []),
    ];
  }
  // Step k ends at epoch k / stepsPerEpoch, so validation at the end of epoch e sits at x = e.
  const x = (i: number) => (i + 1) / steps.stepsPerEpoch;
  const smoothed = smoothStepLosses(steps.losses);
  return [
    {
      name: LOSS_SERIES.step,
      points: steps.losses.map((l, i) => [x(i), l] as const),
      faint: true,
      dots: false,
    },
    { name: LOSS_SERIES.smoothed, points: smoothed.map((l, i) => [x(i), l] as const), dots: false },
    ...(hasVal ? [val] : []),
  ];
}

export async function renderPlots(input: ReportInput): Promise<Record<string, string>> {
  const e = input.epochs;
  const svgs: Record<string, string> = {};
  const hasVal = e.some((p) => p.valLoss !== undefined);
  const best = input.diagnosis.bestEpoch;
  const bestMarker = (labelAt: Marker['labelAt']): Marker[] =>
    best !== undefined ? [{ x: best, label: `best val (epoch ${best})`, labelAt }] : [];
  const perStep = (input.steps?.losses.length ?? 0) > 0;
  svgs['loss.svg'] = await renderSvg(
    lineChartSpec({
      title: perStep
        ? `Loss per step (smoothing: debiased EMA ${STEP_LOSS_SMOOTHING})`
        : 'Loss per epoch',
      xTitle: 'epoch',
      xInteger: !perStep,
      yTitle: 'cross-entropy loss',
      series: lossSeries(input),
      // Losses fall: the top of the plot is free late in training.
      markers: bestMarker('top'),
      width: 460,
    }),
  );
  svgs['accuracy.svg'] = await renderSvg(
    lineChartSpec({
      title: 'Accuracy per epoch',
      xTitle: 'epoch',
      xInteger: true,
      yTitle: 'accuracy',
      yFormat: '~%',
      series: [
        { name: 'train (epoch mean)', points: e.map((p) => [p.epoch, p.trainAccuracy] as const) },
        ...(hasVal
          ? [
              {
                name: 'validation (end of epoch)',
                points: e.map((p) => [p.epoch, p.valAccuracy ?? Number.NaN] as const),
              },
            ]
          : []),
      ],
      // Accuracies rise: the bottom of the plot is free late in training.
      markers: bestMarker('bottom'),
    }),
  );
  const lrPoints =
    input.lrPerStep && input.lrPerStep.length > 0
      ? input.lrPerStep.map((lr, i) => [i + 1, lr] as const)
      : e
          .filter((p) => p.learningRate !== undefined)
          .map((p) => [p.epoch, p.learningRate as number] as const);
  if (lrPoints.length > 0) {
    svgs['lr.svg'] = await renderSvg(
      lineChartSpec({
        title: 'Learning-rate schedule',
        xTitle: input.lrPerStep?.length ? 'optimizer step' : 'epoch',
        xInteger: true,
        yTitle: 'learning rate',
        series: [{ name: 'learning rate', points: lrPoints }],
      }),
    );
  }
  if (input.confusion) {
    svgs['confusion.svg'] = await renderSvg(
      confusionSpec(input.confusion, input.classNames, 'shares'),
    );
    svgs['confusion-counts.svg'] = await renderSvg(
      confusionSpec(input.confusion, input.classNames, 'counts'),
    );
    const acc = perClassAccuracy(input.confusion);
    svgs['per-class.svg'] = await renderSvg(
      barChartSpec(
        'Per-class accuracy (test set)',
        input.classNames
          .map((label, i) => ({ label, value: acc[i] ?? Number.NaN }))
          .filter((b) => Number.isFinite(b.value)),
      ),
    );
  }
  if (input.lrFind) svgs['lr-find.svg'] = await renderSvg(lrFindChart(input.lrFind));
  return svgs;
}

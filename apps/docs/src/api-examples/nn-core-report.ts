// One of the report's charts on its own: a loss curve as a
// standalone SVG (Vega, rendered headless).
import { lineChartSpec, renderSvg } from '@labkit/nn-core/report';

const svg = await renderSvg(
  lineChartSpec({
    title: 'Loss',
    xTitle: 'epoch',
    yTitle: 'loss',
    xInteger: true,
    series: [
      {
        name: 'train',
        points: [
          [1, 2.1],
          [2, 1.7],
          [3, 1.5],
        ],
      },
    ],
  }),
);
console.log(svg.startsWith('<svg'), svg.includes('Loss'));

// prints: true true

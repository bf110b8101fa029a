// The data pipeline's throughput on 256 random CIFAR-shaped images
// (no data set needed).

import { channelStats } from '@labkit/nn-core';
import { pipelineThroughput } from '@labkit/nn-core/bench';

const count = 256;
const images = new Uint8Array(count * 3072).map(
  (_, i) => (i * 2654435761) >>> 24,
);
const set = {
  images,
  labels: new Uint8Array(count).map((_, i) => i % 10),
  count,
};
const speed = pipelineThroughput(
  set,
  {
    batchSize: 128,
    shuffle: true,
    seed: 0,
    augment: 'flip',
    stats: channelStats(set),
  },
  { minSeconds: 0.2 },
);
console.log(speed.imagesPerSec > 0, speed.images >= count);

// prints: true true

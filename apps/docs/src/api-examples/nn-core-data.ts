// Where `fetchCifar10` puts CIFAR-10, what a folder lacks, and the typed
// error for a folder that is not there (no TensorFlow.js is loaded, and
// nothing is downloaded here).
import {
  Cifar10NotFoundError,
  fetchTarget,
  formatDownloadProgress,
  locateCifar10,
  missingCifarFiles,
} from '@labkit/nn-core/data';

console.log(
  fetchTarget(undefined, { LABKIT_CIFAR10_DIR: '/data/cifar10' }),
);
const missing = missingCifarFiles('examples');
console.log(
  `${missing.length} files missing: ${missing[0]} ... ${missing.at(-1)}`,
);
const progress = {
  received: 85_026_086,
  total: 170_052_171,
  resumedFrom: 0,
};
console.log(formatDownloadProgress(progress, 10, 10));
try {
  locateCifar10({ data: 'no/such/folder' });
} catch (error) {
  console.log(error instanceof Cifar10NotFoundError);
}

// prints: /data/cifar10
// prints: 6 files missing: data_batch_1.bin ... test_batch.bin
// prints: [#####.....]   50.0%  85.0 MB / 170.1 MB  8.5 MB/s  ETA 10s
// prints: true

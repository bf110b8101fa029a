/**
 * `@labkit/nn-core/data`: getting CIFAR-10 onto disk and finding it there, without TensorFlow.js:
 * the download (resumed, checked against its MD5, extracted safely), where it goes by default,
 * and which of its files a folder lacks. `labkit data fetch` runs on this entry, so an install
 * without the optional TF.js packages can fetch the data set too.
 *
 * @module @labkit/nn-core/data
 */
export type { DownloadProgress } from '../data/fetch/download.js';
export { UnsafeArchiveError } from '../data/fetch/extract.js';
export {
  CIFAR10_MD5,
  CIFAR10_URL,
  type FetchOptions,
  type FetchResult,
  fetchCifar10,
  fetchTarget,
} from '../data/fetch/fetch-cifar10.js';
export { createDownloadProgressReporter, formatDownloadProgress } from '../data/fetch/progress.js';
export { cacheDir, locateCifar10, missingCifarFiles } from '../data/locate.js';
export { Cifar10NotFoundError } from '../data/not-found.js';

/**
 * `@labkit/nn-core/bench`: training and inference throughput of the seed MLP, and of the data
 * pipeline.
 *
 * @module @labkit/nn-core/bench
 */
export {
  benchTrain,
  type TimingSummary,
  type TrainBenchOptions,
  type TrainBenchResult,
} from '../bench/train-throughput.js';
export { type PipelineThroughput, pipelineThroughput } from '../data/throughput.js';

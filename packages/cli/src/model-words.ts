import type { ModelSpec } from '@labkit/nn-core/config';

/**
 * A model spec in a few words for help text, from the spec itself so that help never restates a
 * default by hand: `3072-1024-512-10 relu MLP, batch norm before each activation, dropout 0.3`.
 */
export function describeModel(spec: ModelSpec): string {
  const layers = [spec.inputSize, ...spec.hidden, spec.classes].join('-');
  const norm =
    spec.batchNorm === 'none' ? 'no batch norm' : `batch norm ${spec.batchNorm} each activation`;
  return `${layers} ${spec.activation} MLP, ${norm}, dropout ${spec.dropout}`;
}

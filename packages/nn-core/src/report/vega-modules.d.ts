// The Vega packages behind vega-runtime.ts ship no declarations of their own (the umbrella `vega`
// package takes its types from vega-typings); vega-runtime.ts gives their exports those types.
declare module 'vega-dataflow' {
  export const transforms: Record<string, unknown>;
}
declare module 'vega-encode';
declare module 'vega-parser';
declare module 'vega-transforms';
declare module 'vega-view';
declare module 'vega-view-transforms';

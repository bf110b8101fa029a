/**
 * The part of Vega that labkit's charts use: the spec parser, a headless View, and the transforms
 * of axes, legends, scales and marks. The umbrella `vega` package also brings the geo, force,
 * hierarchy, label, regression, voronoi, wordcloud and crossfilter transforms and prebuilt
 * bundles, which every install would carry too (commit 1e98e99 measured the difference). Types
 * come from `vega-typings` (what `vega` uses).
 */

import { transforms } from 'vega-dataflow';
import * as encode from 'vega-encode';
import { parse as parseSpec } from 'vega-parser';
import * as dataTransforms from 'vega-transforms';
import type * as Vega from 'vega-typings';
import { View as VegaView } from 'vega-view';
import * as viewTransforms from 'vega-view-transforms';

// What `vega`'s own index does, for the transforms labkit's specs can reach.
Object.assign(transforms, dataTransforms, viewTransforms, encode);

export const parse: typeof Vega.parse = parseSpec;
export const View: typeof Vega.View = VegaView;

export interface ElementData {
  z: number;
  symbol: string;
  name: string;
  /** CIAAW standard atomic weight (conventional value for interval elements); null = no standard weight. */
  weight: number | null;
  /** CIAAW interval [low, high] for elements whose standard atomic weight is an interval. */
  interval?: [number, number];
  /** Standard uncertainty of `weight` where CIAAW gives one (absolute, not in last-digit units). */
  uncertainty?: number;
}

/** User-supplied atomic weights by element symbol, e.g. `{ Tc: 97.9 }`. */
export type WeightOverrides = Readonly<Record<string, number>>;

export declare const PUBLISHED: readonly ['epma-convert', 'nn-core', 'cli'];
export declare function packPublished(
  root: string,
  dest: string,
): Record<(typeof PUBLISHED)[number], string>;
export declare function bytesUnder(dir: string): number;

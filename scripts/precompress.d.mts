export declare const COMPRESSIBLE: RegExp;
/** Writes FILE.br and FILE.gz for every compressible file under `dir`; returns what it wrote, with sizes. */
export declare function precompress(dir: string): { file: string; raw: number; compressed: number }[];

/** Sizes and times used everywhere in the engine. A page is 4 KiB, as on x86. */
export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
export const PAGES_PER_MB = 256;

export const pagesToMB = (pages: number): number => pages / PAGES_PER_MB;
export const mbToPages = (mb: number): number => Math.ceil(mb * PAGES_PER_MB);

/** Rounds a number of MB to two decimals, as esxtop prints them. */
export const round2 = (x: number): number => Math.round(x * 100) / 100;

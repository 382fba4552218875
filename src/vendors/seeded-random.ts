/**
 * A small deterministic generator (mulberry32) for the simulators' seeded
 * data: the same seed gives the same vendor data on every machine.
 */
export interface SeededRandom {
  /** In [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** A string of `length` characters from `alphabet`. */
  id(length: number, alphabet?: string): string;
}

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)],
    id: (length, alphabet = '0123456789abcdef') =>
      Array.from({ length }, () => alphabet[int(0, alphabet.length - 1)]).join(''),
  };
}

/**
 * A generator for one cell of the data (a day, a month, an account's month), its
 * seed mixed from the simulator's seed and the cell's coordinates. Data drawn
 * this way for a past day never depends on how many days come after it, so the
 * demo's history holds still while "today" moves on.
 */
export function seededRandomFor(seed: number, ...coordinates: number[]): SeededRandom {
  let h = Math.imul(seed >>> 0, 0x9e3779b1) >>> 0;
  for (const c of coordinates) {
    h = Math.imul(h ^ (c >>> 0), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return seededRandom(h);
}

/** A 32-bit number from a string (FNV-1a), for coordinates that are ids. */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

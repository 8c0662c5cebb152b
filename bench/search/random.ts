/**
 * A small seeded PRNG (mulberry32) with the draws the search benchmark's generator needs: the same
 * seed always gives the same data, so a patient's record can be regenerated on its own.
 */

export class Random {
  private state: number;

  constructor(...seeds: number[]) {
    let h = 0x9e3779b9;
    for (const seed of seeds) h = Math.imul(h ^ (seed >>> 0), 0x85ebca6b) ^ (h >>> 13);
    this.state = h >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** A value rounded to `digits` decimals, roughly normal around `mean` (sum of three uniforms). */
  around(mean: number, spread: number, digits = 0): number {
    const normalish = (this.next() + this.next() + this.next() - 1.5) / 1.5;
    const factor = 10 ** digits;
    return Math.round((mean + normalish * spread) * factor) / factor;
  }
}

/** Picks items by weight; built once, then each draw is a binary search over the cumulative weights. */
export class WeightedPicker<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(private readonly items: readonly T[], weight: (item: T, index: number) => number) {
    let sum = 0;
    items.forEach((item, index) => this.cumulative.push((sum += weight(item, index))));
    this.total = sum;
  }

  pick(random: Random): T {
    const target = random.next() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.cumulative[middle] > target) high = middle;
      else low = middle + 1;
    }
    return this.items[low];
  }

  /** The share of draws an item gets. */
  share(index: number): number {
    return (this.cumulative[index] - (index > 0 ? this.cumulative[index - 1] : 0)) / this.total;
  }
}

/** A Zipf-like weight for the item at `rank` (0 is the most common). */
export const zipf = (exponent: number) => (_item: unknown, rank: number) => 1 / (rank + 1) ** exponent;

/**
 * In-process benchmarks that take turns: each way runs in slices of a few seconds at a fixed
 * concurrency, so the noise of a shared machine falls on every way alike; the median of its
 * slices' rates is its figure.
 */
export interface Way {
  name: string;
  run: (i: number) => Promise<void>;
  rates: number[];
}

/** Runs the way with `connections` concurrent workers for `seconds`, and records its rate. */
export async function slice(way: Way, seconds: number, connections: number): Promise<void> {
  let done = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) await way.run(done++);
  };
  await Promise.all(Array.from({ length: connections }, worker));
  way.rates.push(done / ((performance.now() - start) / 1000));
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * The options of a benchmark's command line: `--name value` pairs after the benchmark's name.
 */

/** The number after `name`, or the fallback when the option is absent. */
export function option(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(name);
  return index >= 0 ? Number(args[index + 1]) : fallback;
}

/** The text after `name`, or undefined when the option is absent. */
export function textOption(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

/**
 * Versions of packages and canonical resources: their order (4.0.1 < 4.0.10) and what a wanted
 * version of a dependency accepts (exact, wildcard 1.0.x, or latest/current).
 */

/** Compares versions part by part, numerically where both parts are numbers (4.0.1 < 4.0.10). */
export function compareVersions(a: string | undefined, b: string | undefined): number {
  const left = (a ?? '').split(/[.-]/);
  const right = (b ?? '').split(/[.-]/);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = left[i] ?? '';
    const y = right[i] ?? '';
    if (x === y) continue;
    const nx = Number(x);
    const ny = Number(y);
    if (x !== '' && y !== '' && !Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Does an installed version satisfy a wanted one (exact, 1.0.x, latest, current, *)? */
export function versionMatches(version: string, wanted: string): boolean {
  if (wanted === 'latest' || wanted === 'current' || wanted === '*' || wanted === '') return true;
  if (!wanted.includes('x')) return version === wanted;
  const pattern = new RegExp(`^${wanted.replace(/\./g, '\\.').replace(/x/g, '[^.]+')}$`);
  return pattern.test(version);
}

/**
 * The written text of decimals through a JSON Patch: fast-json-patch sets a plain JS number at the
 * path, so the text of an added or replaced value (recorded on the operation, see core
 * number-texts.ts) or of a moved or copied one (recorded on its old container) is put beside it.
 */
import type { Operation } from 'fast-json-patch';
import { numberTextAt, setNumberText } from '../core/index.js';

interface Place {
  container: object;
  key: string | number;
}

function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The container and key a JSON Pointer names (for "-", the last item of the array). */
function placeOf(document: unknown, pointer: string): Place | undefined {
  if (pointer === '') return undefined;
  const tokens = pointer.split('/').slice(1).map(unescapePointer);
  let container: unknown = document;
  for (const token of tokens.slice(0, -1)) {
    if (typeof container !== 'object' || container === null) return undefined;
    container = (container as Record<string, unknown>)[token];
  }
  if (typeof container !== 'object' || container === null) return undefined;
  const last = tokens[tokens.length - 1];
  if (!Array.isArray(container)) return { container, key: last };
  return { container, key: last === '-' ? container.length - 1 : Number(last) };
}

function textAt(place: Place | undefined): string | undefined {
  if (!place) return undefined;
  const value = (place.container as Record<string | number, unknown>)[place.key];
  return typeof value === 'number' ? numberTextAt(place.container, place.key, value) : undefined;
}

/** The text the value of the operation has (its own, or at `from`), read before the operation runs. */
export function operationNumberText(document: unknown, operation: Operation): string | undefined {
  if (operation.op === 'add' || operation.op === 'replace') return textAt({ container: operation, key: 'value' });
  if (operation.op === 'move' || operation.op === 'copy') return textAt(placeOf(document, operation.from));
  return undefined;
}

/** Records the text beside the number the operation left at its path. */
export function putNumberText(document: unknown, operation: Operation, text: string | undefined): void {
  if (text === undefined) return;
  const place = placeOf(document, operation.path);
  const value = place ? (place.container as Record<string | number, unknown>)[place.key] : undefined;
  if (place && typeof value === 'number') setNumberText(place.container, place.key, text);
}

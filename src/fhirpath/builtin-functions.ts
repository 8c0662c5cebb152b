/**
 * The functions fhirpath.js 5.1.1 implements, with the number of arguments each accepts. The
 * adapter checks every function call of an expression against this table (and the registered
 * user functions) when it compiles, so an unknown function or a wrong argument count is reported
 * up front instead of surfacing (or being silently ignored) at evaluation. A unit test compares
 * the table with the library's own invocation table, so an upgrade cannot leave it stale.
 */

/** The allowed argument counts of a function: from `min` to `max` (Infinity when variadic). */
export interface ArgumentCount {
  min: number;
  max: number;
}

const none: ArgumentCount = { min: 0, max: 0 };
const one: ArgumentCount = { min: 1, max: 1 };
const two: ArgumentCount = { min: 2, max: 2 };
const zeroOrOne: ArgumentCount = { min: 0, max: 1 };
const oneOrTwo: ArgumentCount = { min: 1, max: 2 };

const withoutArguments = [
  'resolve', 'empty', 'not', 'allTrue', 'anyTrue', 'allFalse', 'anyFalse', 'isDistinct', 'distinct',
  'count', 'sum', 'min', 'max', 'avg', 'weight', 'ordinal', 'single', 'first', 'last', 'tail',
  'toInteger', 'toLong', 'toDecimal', 'toString', 'toDate', 'toDateTime', 'toTime', 'toBoolean',
  'hasValue', 'getValue', 'convertsToBoolean', 'convertsToInteger', 'convertsToLong',
  'convertsToDecimal', 'convertsToString', 'convertsToDate', 'convertsToDateTime', 'convertsToTime',
  'convertsToQuantity', 'upper', 'lower', 'length', 'toChars', 'trim', 'abs', 'ceiling', 'exp',
  'floor', 'ln', 'sqrt', 'truncate', 'now', 'today', 'timeOfDay', 'yearOf', 'monthOf', 'dayOf',
  'hourOf', 'minuteOf', 'secondOf', 'millisecondOf', 'timezoneOffsetOf', 'dateOf', 'timeOf',
  'children', 'descendants', 'type',
];

const withOneArgument = [
  'memberOf', 'all', 'subsetOf', 'supersetOf', 'where', 'extension', 'select', 'ofType', 'is', 'as',
  'take', 'skip', 'combine', 'union', 'intersect', 'exclude', 'indexOf', 'lastIndexOf', 'startsWith',
  'endsWith', 'contains', 'split', 'encode', 'decode', 'escape', 'unescape', 'log', 'power', 'repeat',
  'comparable',
];

const withOptionalArgument = ['exists', 'toQuantity', 'pathname', 'join', 'round', 'lowBoundary', 'highBoundary'];
const withOneOrTwoArguments = ['aggregate', 'trace', 'defineVariable', 'substring', 'matches', 'matchesFull'];

function table(): Map<string, ArgumentCount> {
  const entries: [string, ArgumentCount][] = [
    ...withoutArguments.map((name): [string, ArgumentCount] => [name, none]),
    ...withOneArgument.map((name): [string, ArgumentCount] => [name, one]),
    ...withOptionalArgument.map((name): [string, ArgumentCount] => [name, zeroOrOne]),
    ...withOneOrTwoArguments.map((name): [string, ArgumentCount] => [name, oneOrTwo]),
    ['replace', two],
    ['replaceMatches', two],
    ['iif', { min: 2, max: 3 }],
    ['coalesce', { min: 1, max: Infinity }],
    ['sort', { min: 0, max: Infinity }],
  ];
  return new Map(entries);
}

/** Function name -> accepted argument counts, as the library defines them. */
export const builtinFunctions: ReadonlyMap<string, ArgumentCount> = table();

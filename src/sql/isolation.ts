/**
 * Transaction isolation levels, and the x-max-isolation-level header values that choose them
 * (writes run SERIALIZABLE unless a request lowers it).
 */

export type IsolationLevel = 'read-committed' | 'repeatable-read' | 'serializable';

export const ISOLATION_SQL: Record<IsolationLevel, string> = {
  'read-committed': 'READ COMMITTED',
  'repeatable-read': 'REPEATABLE READ',
  serializable: 'SERIALIZABLE',
};

const ORDER: IsolationLevel[] = ['read-committed', 'repeatable-read', 'serializable'];

export function isIsolationLevel(value: string): value is IsolationLevel {
  return (ORDER as string[]).includes(value);
}

/** The lower of two levels: a request may lower the server's level, never raise it above it. */
export function lowerIsolation(a: IsolationLevel, b: IsolationLevel): IsolationLevel {
  return ORDER.indexOf(a) <= ORDER.indexOf(b) ? a : b;
}

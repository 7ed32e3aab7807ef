/**
 * Writes that must reach the core in the order the user made them (review decisions, undo). Calls
 * over the bridge may otherwise overtake each other, and an undo pressed right after a decision
 * would undo the step before it.
 */
let tail: Promise<unknown> = Promise.resolve();
let pending = 0;

export function inOrder<T>(write: () => Promise<T>): Promise<T> {
  pending++;
  const next = tail.then(write, write);
  tail = next.then(
    () => pending--,
    () => pending--,
  );
  return next;
}

/** Resolves once every write queued so far has been answered. */
export function writesSettled(): Promise<void> {
  return tail.then(() => undefined);
}

export function writesPending(): number {
  return pending;
}

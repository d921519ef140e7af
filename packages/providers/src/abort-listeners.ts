/**
 * One real 'abort' listener per signal, shared by every waiter of this package. A summarisation
 * map stage passes one signal to hundreds of concurrent calls; a listener each would trip Node's
 * MaxListenersExceededWarning (at 11) and cost a closure per call on the caller's signal.
 */
const registry = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `callback` once when `signal` aborts; the returned function unsubscribes. */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let callbacks = registry.get(signal);
  if (callbacks === undefined) {
    const created = new Set<() => void>();
    callbacks = created;
    registry.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        registry.delete(signal);
        for (const fire of [...created]) fire();
      },
      { once: true },
    );
  }
  const set = callbacks;
  set.add(callback);
  return () => {
    set.delete(callback);
  };
}

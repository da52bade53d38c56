/**
 * A handler's runtime (clients, compiled rules), built on the first invocation and reused by the
 * container. A build that fails is forgotten, so the next invocation tries again and fails loudly
 * again if it must, instead of replaying one rejected promise forever.
 */

/** A getter for the runtime: a ready value, or a factory given the first invocation's arguments. */
export function builtOnce<T extends object, A extends unknown[]>(source: T | ((...args: A) => Promise<T>)): (...args: A) => Promise<T> {
  let ready: Promise<T> | undefined;
  return (...args) => {
    if (!ready) {
      const building = typeof source === 'function' ? (source as (...args: A) => Promise<T>)(...args) : Promise.resolve(source);
      building.catch(() => (ready = undefined));
      ready = building;
    }
    return ready;
  };
}

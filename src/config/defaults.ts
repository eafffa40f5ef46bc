/**
 * Options merged with their defaults once, where they are received: an option left out or given
 * as `undefined` takes the default, so no use site needs its own `?? default`.
 */
export function withDefaults<O extends object, D extends Partial<O>>(defaults: D, opts: O): O & D {
  const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
  return { ...defaults, ...given } as O & D;
}

/** A store that forwards every call to another, except the ones given: for wrappers such as the live feed. */
import type { Store } from './contract.ts';

export function delegateStore(inner: Store, overrides: Partial<Pick<Store, 'write' | 'search' | 'close'>>): Store {
  const { searchText } = inner;
  return {
    backend: inner.backend,
    documents: inner.documents,
    write: overrides.write ?? ((events) => inner.write(events)),
    refresh: () => inner.refresh(),
    search: overrides.search ?? ((request) => inner.search(request)),
    // A search given here must see every read, so the stored text is offered only without one.
    ...(searchText && !overrides.search ? { searchText: (request) => searchText.call(inner, request) } : {}),
    histogram: (request) => inner.histogram(request),
    fields: () => inner.fields(),
    topValues: (request) => inner.topValues(request),
    getEvent: (id) => inner.getEvent(id),
    aggregate: (request) => inner.aggregate(request),
    deleteBefore: (cutoff) => inner.deleteBefore(cutoff),
    health: () => inner.health(),
    close: overrides.close ?? (() => inner.close()),
  };
}

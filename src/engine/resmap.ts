import { BuildError } from '../errors.js';
import { resIdEquals, resIdKey, resIdString, type ResId } from './resid.js';
import type { Resource } from './resource.js';

/** An ordered list of resources whose current ids are unique, as kustomize's ResMap. */
export class ResMap {
  private items: Resource[] = [];

  constructor(resources: Iterable<Resource> = []) {
    for (const r of resources) this.append(r);
  }

  get size(): number {
    return this.items.length;
  }

  resources(): Resource[] {
    return [...this.items];
  }

  [Symbol.iterator](): Iterator<Resource> {
    return this.items[Symbol.iterator]();
  }

  /** Adds a resource; a second resource with the same id is an error, as in kustomize. */
  append(r: Resource): void {
    const id = r.curId();
    if (this.items.some((x) => resIdEquals(x.curId(), id))) throw alreadyRegistered(id);
    this.items.push(r);
  }

  /**
   * Adds resources in order, as `append` one by one would. Ids are indexed for the duration (no
   * resource changes meanwhile), so adding a base's resources costs one pass, not one per resource.
   */
  appendAll(other: Iterable<Resource>): void {
    const ids = new Set(this.items.map((x) => resIdKey(x.curId())));
    for (const r of other) {
      const id = r.curId();
      const key = resIdKey(id);
      if (ids.has(key)) throw alreadyRegistered(id);
      ids.add(key);
      this.items.push(r);
    }
  }

  byCurrentId(id: ResId): Resource[] {
    return this.items.filter((r) => resIdEquals(r.curId(), id));
  }

  /** Resources whose current or any earlier id equals id. */
  byAnyId(id: ResId): Resource[] {
    return this.items.filter((r) => resIdEquals(r.curId(), id) || r.state.previousIds.some((p) => resIdEquals(p, id)));
  }

  indexOf(r: Resource): number {
    return this.items.indexOf(r);
  }

  /** Puts `next` where `prev` was, keeping the order. */
  replace(prev: Resource, next: Resource): void {
    const i = this.items.indexOf(prev);
    if (i < 0) throw new Error('replace: resource not in map');
    this.items[i] = next;
  }

  remove(r: Resource): void {
    const i = this.items.indexOf(r);
    if (i >= 0) this.items.splice(i, 1);
  }

  /** Keeps the resources for which keep returns true, in order. */
  filter(keep: (r: Resource) => boolean): void {
    this.items = this.items.filter(keep);
  }

  setAll(resources: Resource[]): void {
    this.items = [...resources];
  }

  clone(): ResMap {
    const m = new ResMap();
    m.items = this.items.map((r) => r.clone());
    return m;
  }
}

function alreadyRegistered(id: ResId): BuildError {
  return new BuildError(`may not add resource with an already registered id: ${resIdString(id)}`);
}

import { BuildError } from '../errors.js';
import { resIdEquals, resIdKey, resIdString, type ResId } from './resid.js';
import type { Resource } from './resource.js';

/** An ordered list of resources whose current ids are unique, as kustomize's ResMap. */
export class ResMap {
  private items: Resource[] = [];
  /**
   * Keys of the items' current ids, kept between appends while no item was handed out (and so
   * could have been renamed): a base's objects join, then the next base's, without re-reading
   * every id each time.
   */
  private idKeys: Set<string> | undefined;

  constructor(resources: Iterable<Resource> = []) {
    for (const r of resources) this.append(r);
  }

  get size(): number {
    return this.items.length;
  }

  resources(): Resource[] {
    this.idKeys = undefined;
    return [...this.items];
  }

  [Symbol.iterator](): Iterator<Resource> {
    this.idKeys = undefined;
    return this.items[Symbol.iterator]();
  }

  /** Adds a resource; a second resource with the same id is an error, as in kustomize. */
  append(r: Resource): void {
    this.appendAll([r]);
  }

  /** Adds resources in order, in time linear in both maps' sizes (a base's many objects join at once). */
  appendAll(other: Iterable<Resource>): void {
    const present = this.idKeys ?? new Set(this.items.map((x) => resIdKey(x.curId())));
    this.idKeys = undefined;
    for (const r of other) {
      const id = r.curId();
      const key = resIdKey(id);
      if (present.has(key)) throw alreadyRegistered(id);
      present.add(key);
      this.items.push(r);
    }
    this.idKeys = present;
  }

  byCurrentId(id: ResId): Resource[] {
    this.idKeys = undefined;
    return this.items.filter((r) => resIdEquals(r.curId(), id));
  }

  /** Resources whose current or any earlier id equals id. */
  byAnyId(id: ResId): Resource[] {
    this.idKeys = undefined;
    return this.items.filter((r) => resIdEquals(r.curId(), id) || r.state.previousIds.some((p) => resIdEquals(p, id)));
  }

  indexOf(r: Resource): number {
    return this.items.indexOf(r);
  }

  /** Puts `next` where `prev` was, keeping the order. */
  replace(prev: Resource, next: Resource): void {
    this.idKeys = undefined;
    const i = this.items.indexOf(prev);
    if (i < 0) throw new Error('replace: resource not in map');
    this.items[i] = next;
  }

  remove(r: Resource): void {
    this.idKeys = undefined;
    const i = this.items.indexOf(r);
    if (i >= 0) this.items.splice(i, 1);
  }

  /** Keeps the resources for which keep returns true, in order. */
  filter(keep: (r: Resource) => boolean): void {
    this.idKeys = undefined;
    this.items = this.items.filter(keep);
  }

  setAll(resources: Resource[]): void {
    this.idKeys = undefined;
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

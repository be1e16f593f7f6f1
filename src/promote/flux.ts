/** A path Flux applies to a cluster, as promote pairs them: the Flux Kustomization that applies it, and its folder (relative to the repository). */
export interface AppliedPath {
  kustomization: { namespace: string; name: string };
  path: string;
}

/**
 * The folders of a repository without a fleet spec where `to` holds what `from` holds: each path
 * applied to the cluster `to`, paired with the path the Flux Kustomization of the same namespace
 * and name applies to `from` (`apps` applies `apps/staging` to one, `apps/production` to the
 * other; the bootstrap Kustomization their `clusters/<name>` folders). A path both clusters apply
 * is shared (nothing to carry), and a folder is paired once.
 */
export function fluxOverlayPairs(from: readonly AppliedPath[], to: readonly AppliedPath[]): { from: string; to: string }[] {
  const key = (a: AppliedPath): string => `${a.kustomization.namespace}/${a.kustomization.name}`;
  const fromPaths = new Set(from.map((a) => a.path));
  const toPaths = new Set(to.map((a) => a.path));
  const pairs: { from: string; to: string }[] = [];
  for (const target of to) {
    const source = from.find((a) => key(a) === key(target));
    if (!source || source.path === target.path || fromPaths.has(target.path) || toPaths.has(source.path)) continue;
    if (pairs.some((p) => p.to === target.path)) continue;
    pairs.push({ from: source.path, to: target.path });
  }
  return pairs;
}

/**
 * The environment folders of a repository that Flux reaches through another repository (d2-infra
 * and d2-apps, which d2-fleet's ResourceSets apply as `components/<name>/<layer>/${environment}`):
 * every kustomization folder named `from` paired with its sibling named `to` (`…/staging` with
 * `…/production`), in the order of `folders` (kustomization folders, relative POSIX paths).
 */
export function siblingFolderPairs(folders: readonly string[], from: string, to: string): { from: string; to: string }[] {
  const known = new Set(folders);
  const pairs: { from: string; to: string }[] = [];
  for (const folder of folders) {
    const slash = folder.lastIndexOf('/');
    if (folder.slice(slash + 1) !== from) continue;
    const sibling = `${folder.slice(0, slash + 1)}${to}`;
    if (known.has(sibling)) pairs.push({ from: folder, to: sibling });
  }
  return pairs;
}

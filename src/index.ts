export { render, type RenderOptions } from './engine/target.js';
export { renderYaml } from './engine/output.js';
export { BuildError } from './errors.js';
export type { Resource } from './engine/resource.js';
export { loadFleet } from './fleet/load.js';
export { addClusterToSpec } from './fleet/edit.js';
export type { ClusterEntry, FleetSpec, ResolvedCluster, ResolvedFleet } from './fleet/types.js';

export { render, type RenderOptions } from './engine/target.js';
export { renderYaml } from './engine/output.js';
export { BuildError } from './errors.js';
export type { Resource } from './engine/resource.js';

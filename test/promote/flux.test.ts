/**
 * fluxOverlayPairs: the folders two Flux clusters apply through Kustomizations of the same name,
 * paired; shared folders left alone. siblingFolderPairs: environment folders side by side.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fluxOverlayPairs, siblingFolderPairs, type AppliedPath } from '../../src/promote/flux.js';

const applied = (name: string, path: string): AppliedPath => ({ kustomization: { namespace: 'flux-system', name }, path });

describe('fluxOverlayPairs', () => {
  it('pairs by Kustomization, skips what both apply and what only one has, and pairs a folder once', () => {
    const staging = [applied('flux-system', 'clusters/staging'), applied('infra', 'infrastructure/controllers'), applied('apps', 'apps/staging'), applied('canary', 'apps/canary')];
    const production = [applied('flux-system', 'clusters/production'), applied('infra', 'infrastructure/controllers'), applied('apps', 'apps/production'), applied('apps-again', 'apps/production'), applied('monitoring', 'monitoring/production')];
    assert.deepEqual(fluxOverlayPairs(staging, production), [
      { from: 'clusters/staging', to: 'clusters/production' },
      { from: 'apps/staging', to: 'apps/production' },
    ]);
  });

  it('a folder one cluster applies under another name is not the other’s to edit', () => {
    assert.deepEqual(fluxOverlayPairs([applied('apps', 'apps/staging'), applied('x', 'apps/production')], [applied('apps', 'apps/production')]), []);
  });
});

describe('siblingFolderPairs', () => {
  it('pairs each folder named from with its sibling named to, and nothing else', () => {
    const folders = ['apps/base', 'apps/staging', 'apps/production', 'infra/staging', 'infra/staging-2', 'other/production', 'staging', 'production', 'x/staging/production'];
    assert.deepEqual(siblingFolderPairs(folders, 'staging', 'production'), [
      { from: 'apps/staging', to: 'apps/production' },
      { from: 'staging', to: 'production' },
    ]);
    assert.deepEqual(siblingFolderPairs(folders, 'staging', 'qa'), []);
  });
});

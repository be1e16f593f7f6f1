/**
 * A Flux Operator FluxInstance as a Flux repository's `clusters/<cluster>/flux-system/` holds one
 * (d2-fleet's shape): the Flux version it installs, and the cluster's own folder it syncs.
 */
export function fluxInstance(version: string, cluster: string): string {
  return `apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata:
  name: flux
  namespace: flux-system
spec:
  distribution:
    version: "${version}"   # Flux
    registry: ghcr.io/fluxcd
  sync:
    kind: GitRepository
    url: https://github.com/acme/fleet
    ref: refs/heads/main
    path: clusters/${cluster}
`;
}

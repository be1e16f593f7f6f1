import type { Provider } from '../../fleet/types.js';
import { aks } from './aks.js';
import { aksAzureManaged } from './aks-azuremanaged.js';
import { azure } from './azure.js';
import { docker } from './docker.js';
import type { ProviderModule } from './provider.js';

export const PROVIDER_MODULES: Record<Provider, ProviderModule> = {
  aks,
  'aks-azuremanaged': aksAzureManaged,
  azure,
  docker,
};

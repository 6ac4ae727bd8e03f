import { connectorTypes } from '../../shared/connectors/registry';
import { connectorSourceType } from './connector-source';
import { demoSourceType } from './demo';
import type { Source, SourceConfig, SourceContext, SourceType } from './source';

/**
 * Every source type an admin can name in `sources[].type`: the gateway's own (by file name here)
 * and every platform connector of `shared/connectors/`.
 */
export const sourceTypes: Readonly<Record<string, SourceType>> = {
  demo: demoSourceType,
  ...Object.fromEntries(
    Object.entries(connectorTypes).map(([name, type]) => [name, connectorSourceType(type)]),
  ),
};

export function sourceTypeNames(): string[] {
  return Object.keys(sourceTypes);
}

/** Sources for a config that `parseGatewayConfig` has already checked. */
export function createSources(configs: SourceConfig[], context: SourceContext): Source[] {
  return configs.map((config) => {
    const type = sourceTypes[config.type];
    if (!type) throw new Error(`sources: unknown source type "${config.type}"`);
    return type.create(config, context);
  });
}

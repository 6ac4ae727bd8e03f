import { aepConnectorType } from './aep';
import type { ConnectorType } from './connector';
import { dynamicsConnectorType } from './dynamics';
import { restConnectorType } from './rest';
import { salesforceConnectorType } from './salesforce';
import { segmentConnectorType } from './segment';
import { unomiConnectorType } from './unomi';

/** Every platform connector, by the `type` an admin writes in a source entry and its file name. */
export const connectorTypes: Readonly<Record<string, ConnectorType>> = {
  aep: aepConnectorType,
  segment: segmentConnectorType,
  unomi: unomiConnectorType,
  dynamics: dynamicsConnectorType,
  salesforce: salesforceConnectorType,
  rest: restConnectorType,
};

export function connectorTypeNames(): string[] {
  return Object.keys(connectorTypes);
}

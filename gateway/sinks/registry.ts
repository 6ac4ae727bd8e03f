import { aepSinkType } from './aep';
import { dynamicsSinkType } from './dynamics';
import { salesforceSinkType } from './salesforce';
import { segmentSinkType } from './segment';
import type { SinkType } from './sink';
import { unomiSinkType } from './unomi';

/** Every sink type an admin can name in `sinks[].type`, by that name and its file name. */
export const sinkTypes: Readonly<Record<string, SinkType>> = {
  aep: aepSinkType,
  dynamics: dynamicsSinkType,
  salesforce: salesforceSinkType,
  segment: segmentSinkType,
  unomi: unomiSinkType,
};

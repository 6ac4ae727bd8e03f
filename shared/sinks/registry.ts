import { aepSinkType } from './aep';
import { dynamicsSinkType } from './dynamics';
import { segmentSinkType } from './segment';
import type { SinkType } from './sink';
import { unomiSinkType } from './unomi';

/** Every sink type an admin can name in `sinks[].type`, by that name and its file name. */
export const sinkTypes: Readonly<Record<string, SinkType>> = {
  aep: aepSinkType,
  dynamics: dynamicsSinkType,
  segment: segmentSinkType,
  unomi: unomiSinkType,
};

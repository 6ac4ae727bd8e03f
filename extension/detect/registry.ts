import { demoSoftphone } from './demo-softphone';
import type { Detector } from './detector';

/** Every built-in detector, one file each in this folder (registry.test.ts keeps them in step). */
export const detectors: readonly Detector[] = [demoSoftphone];

import { aircall } from './aircall';
import { amazonConnect } from './amazon-connect';
import { demoSoftphone } from './demo-softphone';
import type { Detector } from './detector';
import { dynamics365 } from './dynamics-365';
import { genesysCloud } from './genesys-cloud';
import { hubspot } from './hubspot';
import { ringcentral } from './ringcentral';
import { salesforce } from './salesforce';
import { twilioFlex } from './twilio-flex';
import { webexContactCenter } from './webex-contact-center';
import { zendesk } from './zendesk';

/** Every built-in detector, one file each in this folder (registry.test.ts keeps them in step). */
export const detectors: readonly Detector[] = [
  demoSoftphone,
  amazonConnect,
  twilioFlex,
  salesforce,
  dynamics365,
  genesysCloud,
  webexContactCenter,
  zendesk,
  hubspot,
  ringcentral,
  aircall,
];

/** Where the built-in detectors' content script is declared (manifest `content_scripts`). */
export const detectorMatches: readonly string[] = [...new Set(detectors.flatMap((d) => d.matches))];

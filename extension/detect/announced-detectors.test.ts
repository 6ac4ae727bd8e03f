// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { aircall } from './aircall';
import { amazonConnect } from './amazon-connect';
import type { Detector, PageCall } from './detector';
import { dynamics365 } from './dynamics-365';
import { loadFixture, setCallState } from './fixtures/load';
import { genesysCloud } from './genesys-cloud';
import { hubspot } from './hubspot';
import { ringcentral } from './ringcentral';
import { salesforce } from './salesforce';
import { webexContactCenter } from './webex-contact-center';
import { zendesk } from './zendesk';

/**
 * The detectors that read the call a platform announces to screen readers (a dialog or live
 * region named with the vendor's documented state words), one row each: the fixture page
 * (fixtures/<id>.html), the caller as it shows there, the vendor's state words, and the pages
 * the detector applies to. What each detector reads besides (a screen pop's URL, a widget's
 * messages, a messaging conversation) is tested in its own file.
 */
interface Row {
  detector: Detector;
  fixture: string;
  raw: string;
  states: [text: string, state: PageCall['state']][];
  pages: [href: string, applies: boolean][];
}

const ROWS: Row[] = [
  {
    detector: aircall,
    fixture: 'aircall.html',
    raw: '+33 6 12 34 56 78',
    states: [
      ['Ongoing call', 'connected'],
      ['Call ended', 'ended'],
    ],
    pages: [
      ['https://phone.aircall.io/', true],
      ['https://workspace.aircall.io/calls', true],
      ['https://aircall.io/', false],
      ['https://phone.aircall.io.example.com/', false],
    ],
  },
  {
    detector: amazonConnect,
    fixture: 'amazon-connect.html',
    raw: '+1 (415) 555-0132',
    states: [
      ['Connected call', 'connected'],
      ['After contact work', 'ended'],
      ['Missed call', 'ended'],
    ],
    pages: [
      ['https://acme.my.connect.aws/ccp-v2/', true],
      ['https://acme.my.connect.aws/agent-app-v2/', true],
      ['https://acme.awsapps.com/connect/ccp-v2', true],
      ['https://acme.awsapps.com/workdocs/', false],
      ['https://my.connect.aws.example.com/ccp-v2', false],
      ['https://example.com/ccp-v2', false],
    ],
  },
  {
    detector: dynamics365,
    fixture: 'dynamics-365.html',
    raw: '0034 612 34 56 78',
    states: [
      ['Ongoing call', 'connected'],
      ['Call ended', 'ended'],
    ],
    pages: [
      ['https://contoso.crm.dynamics.com/main.aspx', true],
      ['https://contoso.crm4.dynamics.com/main.aspx?appid=1', true],
      ['https://dynamics.microsoft.com/', false],
      ['https://example.com/dynamics.com', false],
    ],
  },
  {
    detector: genesysCloud,
    fixture: 'genesys-cloud.html',
    raw: '+33612345678',
    states: [
      ['Connected', 'connected'],
      ['Disconnected', 'ended'],
      ['After Call Work', 'ended'],
    ],
    pages: [
      ['https://apps.mypurecloud.com/directory/', true],
      ['https://apps.mypurecloud.ie/', true],
      ['https://apps.usw2.pure.cloud/', true],
      ['https://www.genesys.com/', false],
      ['https://mypurecloud.com.example.com/', false],
    ],
  },
  {
    detector: hubspot,
    fixture: 'hubspot.html',
    raw: '(415) 555-0100',
    states: [
      ['Call in progress', 'connected'],
      ['Call ended', 'ended'],
    ],
    pages: [
      ['https://app.hubspot.com/contacts/123', true],
      ['https://app-eu1.hubspot.com/contacts/123', true],
      ['https://www.hubspot.com/', false],
      ['https://knowledge.hubspot.com/', false],
    ],
  },
  {
    detector: ringcentral,
    fixture: 'ringcentral.html',
    raw: '+1 (415) 555-0132',
    states: [
      ['Connected', 'connected'],
      ['Call ended', 'ended'],
    ],
    pages: [
      ['https://app.ringcentral.com/', true],
      ['https://acme.lightning.force.com/lightning/page/home', true],
      ['https://www.ringcentral.com/', false],
      ['https://example.com/', false],
    ],
  },
  {
    detector: salesforce,
    fixture: 'salesforce.html',
    raw: 'tel:+447700900123',
    states: [
      ['Connected', 'connected'],
      ['After Conversation Work', 'ended'],
    ],
    pages: [
      ['https://acme.lightning.force.com/lightning/page/home', true],
      ['https://acme--c.vf.force.com/apex/CallerPop', true],
      ['https://acme.my.salesforce.com/home/home.jsp', true],
      ['https://www.salesforce.com/', false],
      ['https://force.com.example.com/', false],
    ],
  },
  {
    detector: webexContactCenter,
    fixture: 'webex-contact-center.html',
    raw: '020 7946 0123',
    states: [
      ['Connected', 'connected'],
      ['Wrap Up', 'ended'],
    ],
    pages: [
      ['https://desktop.wxcc-us1.cisco.com/', true],
      ['https://desktop.wxcc-eu1.cisco.com/home', true],
      ['https://www.cisco.com/', false],
      ['https://desktop.wxcc-us1.cisco.com.example.com/', false],
    ],
  },
  {
    detector: zendesk,
    fixture: 'zendesk.html',
    raw: '+44 20 7946 0123 ext. 12',
    states: [
      ['Call in progress', 'connected'],
      ['Wrap-up', 'ended'],
    ],
    pages: [
      ['https://acme.zendesk.com/agent/tickets/1', true],
      ['https://acme.zendesk.com/agent/', true],
      ['https://acme.zendesk.com/hc/en-us', false],
      ['https://www.zendesk.com/', false],
    ],
  },
];

describe.each(ROWS)('$detector.id detector', ({ detector, fixture, raw, states, pages }) => {
  it('reads the ringing call and the caller as the page shows it', () => {
    expect(detector.read(loadFixture(fixture))).toEqual({ raw, state: 'ringing' });
  });

  it.each(states)('reads %j as %s', (text, state) => {
    const doc = loadFixture(fixture);
    setCallState(doc, text);
    expect(detector.read(doc)).toEqual({ raw, state });
  });

  it('reads nothing once the call is gone from the page', () => {
    const doc = loadFixture(fixture);
    doc.getElementById('call-state')?.closest('[role], section')?.remove();
    expect(detector.read(doc)).toBeNull();
  });

  it('reads nothing when the panel names no call state', () => {
    const doc = loadFixture(fixture);
    setCallState(doc, 'Available');
    doc.getElementById('call-state')?.closest('[aria-label]')?.removeAttribute('aria-label');
    expect(detector.read(doc)).toBeNull();
  });

  it('reads nothing on a blank page', () => {
    expect(detector.read(new DOMParser().parseFromString('<p>Hello</p>', 'text/html'))).toBeNull();
  });

  it.each(pages)('applies to %s: %s', (href, applies) => {
    expect(detector.applies(new URL(href))).toBe(applies);
  });
});

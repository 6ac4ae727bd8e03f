// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { PageSettings } from '../../shared/page-settings';
import type { Detector } from './detector';
import { dynamics365 } from './dynamics-365';
import { detectionKey, type PageLocation, pageDetectors, pageLocation } from './page-detectors';
import { readUrlCall } from './read';
import { salesforce } from './salesforce';

function at(href: string): PageLocation {
  const url = new URL(href);
  return { hostname: url.hostname, pathname: url.pathname, href };
}

const settings = (over: Partial<PageSettings> = {}): PageSettings => ({
  detectionRules: [],
  crmMatches: [],
  tenantMatches: [],
  sidebarPlacement: 'page',
  ...over,
});

const blank = () => document.implementation.createHTMLDocument('CRM');

/** What the page's detectors read, with the page's URL as the watcher hands it over. */
function readWith(found: Detector[], href: string) {
  const doc = blank();
  for (const d of found) {
    const call = d.read(doc, new URL(href));
    if (call) return { detector: d.id, ...call };
  }
  return null;
}

const POP = 'https://contoso.crm4.dynamics.com/main.aspx?ani=%2B442079460123';

describe('the detectors a page runs', () => {
  it("counts a caller in the URL on the organisation's CRM pages", () => {
    const found = pageDetectors(
      [dynamics365],
      settings({ crmMatches: ['https://contoso.crm4.dynamics.com/*'] }),
      at(POP),
      blank(),
    );
    expect(readWith(found, POP)).toMatchObject({ detector: 'dynamics-365', raw: '+442079460123' });
  });

  it('ignores a caller in the URL of any other page of the platform (a link from outside)', () => {
    const outsider = 'https://fabrikam.crm.dynamics.com/main.aspx?ani=%2B442079460123';
    const found = pageDetectors(
      [dynamics365],
      settings({ crmMatches: ['https://contoso.crm4.dynamics.com/*'] }),
      at(outsider),
      blank(),
    );
    // The detector still reads what the page shows (an embedded softphone), not the URL.
    expect(found.map((d) => d.id)).toEqual(['dynamics-365']);
    expect(readWith(found, outsider)).toBeNull();
  });

  it('reads no URL before any settings are known (they arrive, and the page is read again)', () => {
    expect(readWith(pageDetectors([dynamics365], undefined, at(POP), blank()), POP)).toBeNull();
  });

  it("counts a URL parameter on an admin rule's page", () => {
    const href = 'https://cti.intranet.example/pop?caller=%2B442079460123';
    const found = pageDetectors(
      [],
      settings({
        detectionRules: [{ matches: ['https://cti.intranet.example/*'], urlParam: 'caller' }],
      }),
      at(href),
      blank(),
    );
    expect(readWith(found, href)).toMatchObject({ detector: 'rule-1', raw: '+442079460123' });
  });

  it("limits built-in detectors to the organisation's own tenants when the policy names them", () => {
    const own = settings({ tenantMatches: ['https://acme.lightning.force.com/*'] });
    const ours = at('https://acme.lightning.force.com/lightning/page/home');
    const theirs = at('https://mallory.lightning.force.com/lightning/page/home');
    expect(pageDetectors([salesforce], own, ours, blank()).map((d) => d.id)).toEqual([
      'salesforce',
    ]);
    expect(pageDetectors([salesforce], own, theirs, blank())).toEqual([]);
    // Without the key, every tenant of the platform is read, as before.
    expect(pageDetectors([salesforce], settings(), theirs, blank())).toHaveLength(1);
    // CRM pages are always the organisation's own.
    const crm = settings({
      tenantMatches: ['https://acme.lightning.force.com/*'],
      crmMatches: ['https://mallory.lightning.force.com/*'],
    });
    expect(pageDetectors([salesforce], crm, theirs, blank())).toHaveLength(1);
  });

  it('puts admin rules before the built-in detectors', () => {
    const found = pageDetectors(
      [dynamics365],
      settings({ detectionRules: [{ matches: ['https://*.dynamics.com/*'], selector: '#x' }] }),
      at(POP),
      blank(),
    );
    expect(found.map((d) => d.id)).toEqual(['rule-1', 'dynamics-365']);
  });

  it('restarts only for the settings that decide detection', () => {
    const base = settings();
    expect(detectionKey(base)).toBe(detectionKey({ ...base, sidebarPlacement: 'sidePanel' }));
    expect(detectionKey(base)).not.toBe(detectionKey({ ...base, tenantMatches: ['https://a/*'] }));
    expect(detectionKey(undefined)).not.toBe(detectionKey(base));
  });
});

describe('where a frame comes from', () => {
  it('is its own address for a page loaded from the web', () => {
    const win = { location: new URL('https://acme.my.connect.aws/ccp-v2/') } as unknown as Window;
    expect(pageLocation(win).href).toBe('https://acme.my.connect.aws/ccp-v2/');
  });

  it("is the page that wrote it for a srcdoc or about:blank frame (the parent's address)", () => {
    const parent = { location: new URL('https://contoso.crm4.dynamics.com/main.aspx?x=1') };
    const win = {
      location: new URL('about:srcdoc'),
      parent,
      origin: 'https://contoso.crm4.dynamics.com',
    } as unknown as Window;
    expect(pageLocation(win)).toEqual({
      hostname: 'contoso.crm4.dynamics.com',
      pathname: '/main.aspx',
      href: 'https://contoso.crm4.dynamics.com/main.aspx?x=1',
    });
  });

  it('is the inherited origin when the parent cannot be read', () => {
    const parent = {
      get location(): Location {
        throw new DOMException('cross-origin', 'SecurityError');
      },
    };
    const win = {
      location: new URL('about:blank'),
      parent,
      origin: 'https://acme.zendesk.com',
    } as unknown as Window;
    expect(pageLocation(win).href).toBe('https://acme.zendesk.com/');
  });
});

// The helper the detectors share reads the URL it is given, so an undefined URL reads nothing.
it('reads no caller from no URL', () => {
  expect(readUrlCall(undefined, ['ani'])).toBeNull();
});

// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Case, ContactEvent } from '../shared/model';
import { defineSidebarElements } from './define';
import { relativeTime } from './format';
import { createTranslator } from './i18n/catalog';
import { OpenInCrmEvent } from './open-in-crm.event';
import { type CcRecentContacts, historyOf } from './recent-contacts.component';

const NOW = new Date('2026-11-21T10:00:00.000Z');

const call: ContactEvent = {
  id: 'ev-1',
  at: '2026-11-21T09:54:05.000Z',
  channel: 'call',
  direction: 'inbound',
  disposition: 'Follow-up needed',
  note: 'Asked about the drip tray; we call back tomorrow.',
  durationSeconds: 312,
  source: 'demo',
  local: true,
};
const email: ContactEvent = {
  id: 'em-1',
  at: '2026-11-18T08:31:12.000Z',
  channel: 'email',
  title: 'Cracked drip tray: photos attached',
  source: 'crm',
  url: 'https://crm.example.com/email/em-1',
};
const opened: Case = {
  id: 'case-1',
  title: 'Cracked drip tray',
  number: 'CAS-01042',
  status: 'Active',
  createdAt: '2026-11-19T08:30:00.000Z',
};

beforeAll(() => defineSidebarElements());
afterEach(() => document.body.replaceChildren());

async function mount(props: Partial<CcRecentContacts>): Promise<CcRecentContacts> {
  const element = document.createElement('cc-recent-contacts');
  Object.assign(element, { now: NOW, ...props });
  document.body.append(element);
  await element.updateComplete;
  return element;
}

const rows = (element: CcRecentContacts) =>
  [...(element.shadowRoot?.querySelectorAll('li') ?? [])].map((li) =>
    (li.textContent ?? '').replace(/\s+/g, ' ').trim(),
  );

describe('cc-recent-contacts', () => {
  it('lists calls with their result, duration and note, emails and cases, newest first', async () => {
    const element = await mount({ contacts: [email, call], cases: [opened] });
    const heading = element.shadowRoot?.querySelector('h3');
    expect(heading?.textContent).toBe('Recent contacts');
    expect(element.shadowRoot?.querySelector('ol')?.getAttribute('aria-labelledby')).toBe(
      heading?.id,
    );
    const ago = (at: string) => relativeTime(at, NOW, 'en');
    expect(rows(element)).toEqual([
      `Incoming call ${ago(call.at)} Follow-up needed · 5 min Asked about the drip tray; we call back tomorrow. Logged from this browser`,
      `Case opened: CAS-01042: Cracked drip tray ${ago(opened.createdAt as string)} Active`,
      `Email: Cracked drip tray: photos attached ${ago(email.at)}`,
    ]);
  });

  it('shows four, and the rest behind a button that says how many', async () => {
    const many = Array.from({ length: 6 }, (_, i) => ({
      ...call,
      id: `ev-${i}`,
      at: new Date(NOW.getTime() - (i + 1) * 3600_000).toISOString(),
      local: false,
    }));
    const element = await mount({ contacts: many });
    expect(rows(element)).toHaveLength(4);
    const button = element.shadowRoot?.querySelector('button');
    expect(button?.textContent?.trim()).toBe('Show 2 more');
    expect(button?.getAttribute('aria-expanded')).toBe('false');
    button?.click();
    await element.updateComplete;
    expect(rows(element)).toHaveLength(6);
    expect(button?.getAttribute('aria-expanded')).toBe('true');
    expect(button?.textContent?.trim()).toBe('Show fewer');
  });

  it('opens a record link in the CRM tab when the host takes it', async () => {
    const element = await mount({ contacts: [email] });
    const asked: string[] = [];
    document.body.addEventListener(OpenInCrmEvent.type, (event) => {
      asked.push((event as OpenInCrmEvent).url);
      event.preventDefault();
    });
    const link = element.shadowRoot?.querySelector('a');
    expect(link?.getAttribute('href')).toBe(email.url);
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    link?.dispatchEvent(click);
    expect(asked).toEqual([email.url]);
    expect(click.defaultPrevented).toBe(true);
  });

  it('says the history is withheld, with the count, when the customer denied personalisation', async () => {
    const element = await mount({ denied: true, withheld: 3, cases: [opened] });
    expect(rows(element)).toEqual([]);
    expect(element.shadowRoot?.querySelector('.withheld')?.textContent?.replace(/\s+/g, ' ')).toBe(
      ' Not shown: the customer has not consented to personalisation. 3 contacts hidden (no consent). ',
    );
  });

  it('says when there is nothing on record, in the agent’s language', async () => {
    const element = await mount({ translator: createTranslator(['it-IT']) });
    expect(element.shadowRoot?.querySelector('h3')?.textContent).toBe('Contatti recenti');
    expect(element.shadowRoot?.querySelector('.empty')?.textContent).toBe(
      'Nessun contatto precedente registrato.',
    );
  });

  it('leaves out cases without a date', () => {
    expect(historyOf([], [{ id: 'c', title: 'Undated' }])).toEqual([]);
  });
});

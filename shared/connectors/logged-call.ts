import type { ContactEvent } from '../model';
import { isObject, num, str } from './http';

/**
 * A call our own sink logged (gateway/sinks/: AEP, Segment, Unomi), read back from the platform's
 * event history. Each of those sinks writes the same details where its platform keeps an event's
 * own fields: the disposition's label and code (`codeKey`), the notes, the talk time, the case.
 */
export function loggedCallContact(
  event: { id: string; at: string; source: string },
  details: unknown,
  codeKey: 'disposition' | 'dispositionCode',
): ContactEvent {
  const call = isObject(details) ? details : {};
  const contact: ContactEvent = { ...event, channel: 'call', direction: 'inbound' };
  const disposition = str(call.dispositionLabel) ?? str(call[codeKey]);
  if (disposition) contact.disposition = disposition;
  const note = str(call.notes);
  if (note) contact.note = note;
  const seconds = num(call.talkSeconds);
  if (seconds !== undefined) contact.durationSeconds = seconds;
  const caseId = str(call.caseId);
  if (caseId) contact.caseId = caseId;
  return contact;
}

import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { WrapUpDraft } from '../shared/after-call';
import type { AuditEntry } from '../shared/audit';
import type { CallSession } from '../shared/call';
import type { CallerContext } from '../shared/model';

/** A caller's context kept for the cache lifetime the config allows, then deleted. */
export interface CachedContext {
  /** `namespace:value` of the identity looked up. */
  key: string;
  context: CallerContext;
  storedAt: number;
  expiresAt: number;
}

import type { OutboxEntry, OutboxGate } from './outbox-entry';

/**
 * Everything the service worker must keep across its restarts (Chrome stops it after 30 s idle):
 * nothing lives in module variables.
 */
export interface CallerContextDB extends DBSchema {
  calls: {
    key: string;
    value: CallSession;
    /**
     * Each ends with `ringingAt`, so one key range reads the calls of the last hours that a
     * sighting or the primary call needs, never the whole store (background/call-sessions.ts):
     * `byState` the calls of one state, `byCallId` those with a platform call id, `byIdentity`
     * those of one caller, `byRawNumber` those of one number as the page showed it. A call without
     * a call id or an identity is simply not in that index.
     */
    indexes: {
      byRingingAt: string;
      byState: [string, string];
      byCallId: [string, string];
      byIdentity: [string, string, string];
      byRawNumber: [string, string];
    };
  };
  contextCache: {
    key: string;
    value: CachedContext;
    indexes: { byExpiresAt: number };
  };
  /** After-call events from "Log call" until the gateway took them, then 7 days more. */
  outbox: {
    key: string;
    value: OutboxEntry;
    /**
     * `byIdentity` (the caller's namespace and value) and `byProfile` (source and id of the record
     * the call was logged against) find the calls a lookup joins to the contact history without
     * reading the whole outbox (background/recent-contacts.ts). An event without one is simply
     * not in that index.
     */
    indexes: {
      byStatusAt: [string, number];
      byIdentity: [string, string];
      byProfile: [string, string];
    };
  };
  /** The outbox's shared backoff (key `gate`): the gateway, not one event, is what fails. */
  outboxState: {
    key: string;
    value: OutboxGate;
  };
  /** Unfinished wrap-ups by call id, so closing the tab loses nothing. */
  wrapUpDrafts: {
    key: string;
    value: WrapUpDraft;
  };
  /** Lookups the agent triggered (who, when, which identity; no profile data), bounded. */
  audit: {
    key: number;
    value: AuditEntry;
    indexes: { byAt: string };
  };
}

export type Database = IDBPDatabase<CallerContextDB>;

export const DB_NAME = 'caller-context';
export const DB_VERSION = 6;

export function openDatabase(factory?: IDBFactory): Promise<Database> {
  // idb reads the global indexedDB; tests hand in fake-indexeddb's factory instead.
  if (factory) globalThis.indexedDB = factory;
  return openDB<CallerContextDB>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, transaction) {
      if (oldVersion < 1) {
        const calls = db.createObjectStore('calls', { keyPath: 'id' });
        calls.createIndex('byRingingAt', 'ringingAt');
      }
      if (oldVersion < 2) {
        const cache = db.createObjectStore('contextCache', { keyPath: 'key' });
        cache.createIndex('byExpiresAt', 'expiresAt');
      }
      if (oldVersion < 3) {
        const outbox = db.createObjectStore('outbox', { keyPath: 'id' });
        outbox.createIndex('byStatusAt', ['status', 'at']);
        db.createObjectStore('outboxState');
        db.createObjectStore('wrapUpDrafts', { keyPath: 'callId' });
      }
      if (oldVersion < 4) {
        const audit = db.createObjectStore('audit', { keyPath: 'id', autoIncrement: true });
        audit.createIndex('byAt', 'at');
      }
      if (oldVersion < 5) {
        // Indexes over what is stored: the events already in the outbox are indexed as they are.
        const outbox = transaction.objectStore('outbox');
        outbox.createIndex('byIdentity', ['event.identity.namespace', 'event.identity.value']);
        outbox.createIndex('byProfile', ['event.profile.source', 'event.profile.id']);
      }
      if (oldVersion < 6) {
        const calls = transaction.objectStore('calls');
        calls.createIndex('byState', ['state', 'ringingAt']);
        calls.createIndex('byCallId', ['callId', 'ringingAt']);
        calls.createIndex('byIdentity', ['identity.namespace', 'identity.value', 'ringingAt']);
        calls.createIndex('byRawNumber', ['rawNumber', 'ringingAt']);
      }
    },
  });
}

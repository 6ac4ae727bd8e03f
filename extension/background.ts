import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { registerCalls } from '../background/register/calls';
import { registerConfigChanges } from '../background/register/config-changes';
import { registerMessages } from '../background/register/messages';
import { registerOutbox } from '../background/register/outbox';
import { registerPresence } from '../background/register/presence';
import { registerRetention } from '../background/register/retention';
import { registerSidebar } from '../background/register/sidebar';
import { createBackgroundServices, type Registration } from '../background/services';
import { detectorMatches, detectors } from './detect/registry';
import { sidebarMatches } from './frame/crm-platforms';

/**
 * The worker's message handlers (one table: background/messages.ts) and every concern's browser
 * listeners, one line each (background/register/, one file per concern). Each registers
 * synchronously: MV3 delivers the event that woke the worker only to
 * listeners added in its first turn.
 */
export const registrations: readonly Registration[] = [
  registerMessages,
  registerCalls,
  registerSidebar,
  registerConfigChanges,
  registerOutbox,
  registerRetention,
  registerPresence,
];

export default defineBackground(() => {
  const background = createBackgroundServices({
    browser,
    chrome,
    detection: {
      detectors,
      declaredMatches: detectorMatches,
      sidebarDeclaredMatches: sidebarMatches,
    },
  });
  for (const register of registrations) register(background);
});

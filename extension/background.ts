import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { registerAudit } from '../background/register/audit';
import { registerCalls } from '../background/register/calls';
import { registerConfigChanges } from '../background/register/config-changes';
import { registerConversations } from '../background/register/conversations';
import { registerDetection } from '../background/register/detection';
import { registerOutbox } from '../background/register/outbox';
import { registerPresence } from '../background/register/presence';
import { registerRetention } from '../background/register/retention';
import { registerSettings } from '../background/register/settings';
import { registerSidebar } from '../background/register/sidebar';
import { registerSignIn } from '../background/register/sign-in';
import { registerVerbalConsent } from '../background/register/verbal-consent';
import { createBackgroundServices, type Registration } from '../background/services';
import { detectorMatches, detectors } from './detect/registry';
import { sidebarMatches } from './frame/crm-platforms';

/**
 * Every concern's handlers and listeners, one line each (background/register/, one file per
 * concern). Each registers synchronously: MV3 delivers the event that woke the worker only to
 * listeners added in its first turn.
 */
export const registrations: readonly Registration[] = [
  registerCalls,
  registerSidebar,
  registerSettings,
  registerSignIn,
  registerAudit,
  registerDetection,
  registerConfigChanges,
  registerOutbox,
  registerVerbalConsent,
  registerRetention,
  registerPresence,
  registerConversations,
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

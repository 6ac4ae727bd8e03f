/**
 * What the demo's IVR says to a caller and where it sends them, from the gateway's
 * `GET /v1/ivr/lookup` answer (README, "IVR"). A real IVR speaks its own prompts; these are the
 * demo's, in English.
 */
import type { IvrAnswer } from '../../gateway/ivr/ivr-lookup';

export type { IvrAnswer };

const INTENTS: Record<string, string> = {
  abandoned_cart: 'left items in the cart',
  read_returns: 'read the returns policy',
  compared_products: 'compared products',
  payment_trouble: 'had trouble paying',
  repeated_search: 'searched the shop again and again',
};

/** The greeting: by name and latest case for a known customer. */
export function ivrGreeting(answer: IvrAnswer): string {
  if (answer.known && answer.firstName) {
    const latest = answer.latestCase;
    const question = latest
      ? ` Are you calling about your case ${latest.number ? `${latest.number}, ` : ''}${latest.title}?`
      : ' How can we help you today?';
    return `Hello ${answer.firstName}.${question}`;
  }
  if (answer.known) return 'Welcome back to La Boutique. How can we help you today?';
  return 'Welcome to La Boutique. How can we help you today?';
}

/** Where the call went, and why. */
export function ivrRouting(answer: IvrAnswer): string {
  const { route } = answer;
  const manager = answer.ownManager?.name ?? route.agent?.name ?? 'their manager';
  const whose = answer.firstName ? `${answer.firstName}'s own manager` : 'the own manager';
  const queue = `queue “${route.queue ?? ''}”`;
  switch (route.reason) {
    case 'own_manager':
      return `Routed to ${manager}, ${whose}, who is available.`;
    case 'own_manager_busy':
      return `${manager}, ${whose}, is on another call: the caller holds for them, and the IVR asks again as they wait.`;
    case 'own_manager_unavailable':
      return `${manager}, ${whose}, is not available: ${queue}.`;
    case 'overflow':
      return `Waited too long for ${manager}: overflow ${queue}.`;
    case 'no_own_manager':
      return `No own manager: ${queue}.`;
    case 'unknown_caller':
      return `Unknown caller: ${queue}.`;
  }
}

/** What the caller just did online, when they allow personalisation; empty otherwise. */
export function ivrIntent(answer: IvrAnswer): string {
  const kind = answer.intent?.kind;
  return kind ? `Online just now: ${INTENTS[kind] ?? kind}.` : '';
}

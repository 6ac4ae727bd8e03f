import type { SignInView } from '../../shared/protocol';
import type { ConfigStore } from '../config-store';
import type { ContextService } from '../context-service';
import { entraClient } from '../dynamics-direct';
import { type ExtensionIdentity, requireOwnPage } from '../senders';
import type { BackgroundMessaging } from '../services';
import { type SignIn, SignInError } from '../sign-in';

export interface SignInHandlersDeps {
  messaging: BackgroundMessaging;
  self: ExtensionIdentity;
  config: Pick<ConfigStore, 'get'>;
  signIn: Pick<SignIn, 'signIn' | 'signOut' | 'status'>;
  contextService: Pick<ContextService, 'clear'>;
}

/** The agent's sign-ins, from the options page: the gateway's provider and Dynamics 365. */
export function registerSignIn({
  messaging,
  self,
  config,
  signIn,
  contextService,
}: SignInHandlersDeps): void {
  const signInView = async (error?: string): Promise<SignInView> => {
    const { oidc } = (await config.get()).config;
    if (!oidc) return { required: false, signedIn: false };
    return { required: true, ...(await signIn.status(oidc)), ...(error ? { error } : {}) };
  };
  messaging.onMessage('getSignInStatus', ({ sender }) => {
    requireOwnPage(sender, self, 'getSignInStatus');
    return signInView();
  });
  messaging.onMessage('signIn', async ({ sender }) => {
    requireOwnPage(sender, self, 'signIn');
    const { oidc } = (await config.get()).config;
    if (!oidc) return signInView();
    try {
      await signIn.signIn(oidc);
      return signInView();
    } catch (error) {
      return signInView(error instanceof SignInError ? error.message : 'Sign-in failed.');
    }
  });
  messaging.onMessage('signInDynamics', async ({ sender }) => {
    requireOwnPage(sender, self, 'signInDynamics');
    const { dynamicsDirect } = (await config.get()).config;
    if (!dynamicsDirect)
      return { ok: false, message: 'Dynamics 365 is not set up for direct access.' };
    try {
      await signIn.signIn(entraClient(dynamicsDirect));
      // Contexts fetched before the sign-in lack Dynamics 365: fetch them afresh.
      await contextService.clear().catch(() => {});
      return { ok: true, message: 'Signed in to Dynamics 365.' };
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : 'Sign-in failed.' };
    }
  });
  messaging.onMessage('signOut', async ({ sender }) => {
    requireOwnPage(sender, self, 'signOut');
    await signIn.signOut();
    // Customer data fetched under the agent's sign-in goes with it.
    await contextService.clear().catch(() => {});
    return signInView();
  });
}

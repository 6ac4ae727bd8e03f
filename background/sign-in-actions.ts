import type { SignInView } from '../shared/protocol';
import type { ConfigStore } from './config-store';
import type { ContextService } from './context-service';
import { entraClient } from './dynamics-direct';
import { type SignIn, SignInError } from './sign-in';

export interface SignInActionsDeps {
  config: Pick<ConfigStore, 'get'>;
  signIn: Pick<SignIn, 'signIn' | 'signOut' | 'status'>;
  contextService: Pick<ContextService, 'clear'>;
}

/** The agent's sign-ins, from the options page: the gateway's provider and Dynamics 365. */
export function createSignInActions({ config, signIn, contextService }: SignInActionsDeps) {
  const view = async (error?: string): Promise<SignInView> => {
    const { oidc } = (await config.get()).config;
    if (!oidc) return { required: false, signedIn: false };
    return { required: true, ...(await signIn.status(oidc)), ...(error ? { error } : {}) };
  };
  return {
    status: (): Promise<SignInView> => view(),

    async signIn(): Promise<SignInView> {
      const { oidc } = (await config.get()).config;
      if (!oidc) return view();
      try {
        await signIn.signIn(oidc);
        return view();
      } catch (error) {
        return view(error instanceof SignInError ? error.message : 'Sign-in failed.');
      }
    },

    async signInDynamics(): Promise<{ ok: boolean; message: string }> {
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
    },

    async signOut(): Promise<SignInView> {
      await signIn.signOut();
      // Customer data fetched under the agent's sign-in goes with it.
      await contextService.clear().catch(() => {});
      return view();
    },
  };
}

export type SignInActions = ReturnType<typeof createSignInActions>;

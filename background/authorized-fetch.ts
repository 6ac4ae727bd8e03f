import type { ExtensionConfig } from '../shared/config';
import { type FetchLike, GatewayError } from './gateway-client';
import type { SignIn } from './sign-in';

export class SignedOutError extends GatewayError {
  constructor() {
    super(
      'Sign in to Caller Context first: open its options page and press Sign in.',
      undefined,
      false,
      { code: 'signedOut' },
    );
  }
}

/**
 * The fetch the background uses for the gateway: with OIDC configured, each request carries the
 * agent's current access token (refreshed when due) in place of any static token.
 */
export function authorizedFetch(
  base: FetchLike,
  config: () => Promise<Pick<ExtensionConfig, 'oidc'>>,
  signIn: Pick<SignIn, 'accessToken'>,
): FetchLike {
  return async (input, init) => {
    const { oidc } = await config();
    if (!oidc) return base(input, init);
    const token = await signIn.accessToken(oidc);
    if (!token) throw new SignedOutError();
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${token}`);
    return base(input, { ...init, headers });
  };
}

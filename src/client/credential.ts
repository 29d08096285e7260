/**
 * Credentials: an API key (a string, or an object with `key` such as `AzureKeyCredential`), or a
 * token provider with `getToken` (compatible with `@azure/core-auth`'s `TokenCredential`, e.g.
 * `DefaultAzureCredential`). A token is fetched once per connect, for the same scope the official
 * SDK asks for, and sent as `Authorization: Bearer …`; a key is sent as the `api-key` header and
 * query parameter (spec §1.2, §11).
 */
import { ConnectionError } from './errors.js';

/** An object holding an API key, e.g. `new AzureKeyCredential(key)`. */
export interface KeyCredentialLike {
  readonly key: string;
}

/** What a token provider may return: the token, an `AccessToken`-like object, or null for "no token". */
export type TokenResult = string | { token: string; expiresOnTimestamp?: number } | null | undefined;

/** An async token source, e.g. `@azure/identity`'s `DefaultAzureCredential`. */
export interface TokenProvider {
  getToken(scopes: string | string[], options?: { abortSignal?: AbortSignal }): Promise<TokenResult>;
}

/** An API key, a key holder, or a token provider. */
export type Credential = string | KeyCredentialLike | TokenProvider;

/**
 * The Entra ID scope the official `@azure/ai-voicelive` 1.1.0 requests. The older
 * `https://cognitiveservices.azure.com/.default` is also accepted by the service; pass it in
 * `tokenScopes` where a tenant requires it.
 */
export const DEFAULT_TOKEN_SCOPES: readonly string[] = ['https://ai.azure.com/.default'];

/** A credential ready for the handshake. */
export type ResolvedCredential = { kind: 'key'; key: string } | { kind: 'token'; token: string };

function isTokenProvider(credential: Credential): credential is TokenProvider {
  return typeof credential === 'object' && credential !== null && typeof (credential as TokenProvider).getToken === 'function';
}

/** Gets the key, or a fresh token from the provider; failures become `credential_failed`. */
export async function resolveCredential(credential: Credential, scopes: readonly string[], signal: AbortSignal): Promise<ResolvedCredential> {
  if (typeof credential === 'string') {
    if (!credential) throw new TypeError('credential: the API key is empty');
    return { kind: 'key', key: credential };
  }
  if (isTokenProvider(credential)) {
    let result: TokenResult;
    try {
      result = await credential.getToken([...scopes], { abortSignal: signal });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConnectionError('credential_failed', `The token provider failed: ${reason}`, { cause: error });
    }
    const token = typeof result === 'string' ? result : result?.token;
    if (!token) throw new ConnectionError('credential_failed', 'The token provider returned no token');
    return { kind: 'token', token };
  }
  if (typeof credential === 'object' && credential !== null && typeof credential.key === 'string') {
    if (!credential.key) throw new TypeError('credential: the API key is empty');
    return { kind: 'key', key: credential.key };
  }
  throw new TypeError('credential must be an API key string, an object with a string `key`, or a token provider with `getToken`');
}

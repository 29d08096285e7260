/**
 * Turns the client's connect errors into the one-line messages `voicelive chat` prints: a server
 * that is not running, a refused key, a refused upgrade, a session that never started.
 */
import { ConnectionError } from '../../client/index.js';
import { ChatFailure, INTERRUPTED_EXIT_CODE } from './chatFailure.js';

/** Where keys come from, for the authentication hint. */
export const API_KEY_SOURCES = '--api-key (or VOICELIVE_API_KEY / AZURE_VOICELIVE_API_KEY)';

function serverSaid(error: ConnectionError): string {
  return error.serverMessage ? `: ${error.serverMessage}` : '';
}

/** The failure to report for an error thrown by `connect()` to `endpoint`. */
export function describeConnectFailure(error: unknown, endpoint: string, keyGiven: boolean): ChatFailure {
  if (!(error instanceof ConnectionError)) {
    return new ChatFailure(`cannot connect to ${endpoint}: ${error instanceof Error ? error.message : String(error)}`);
  }
  switch (error.kind) {
    case 'authentication_failed': {
      const status = error.statusCode ? `HTTP ${error.statusCode}` : 'refused';
      const hint = keyGiven ? `check ${API_KEY_SOURCES}` : `no API key was given; pass ${API_KEY_SOURCES}`;
      return new ChatFailure(`authentication failed: ${hint} (${endpoint} answered ${status}${serverSaid(error)})`);
    }
    case 'network_error': {
      const cause = error.cause instanceof Error ? error.cause.message : error.message;
      return new ChatFailure(`cannot connect to ${endpoint}: ${cause} (is the server running? start one with \`voicelive serve\`)`);
    }
    case 'http_error':
      return new ChatFailure(`${endpoint} refused the connection: HTTP ${error.statusCode ?? '?'}${serverSaid(error)}`);
    case 'timeout':
      return new ChatFailure(`cannot connect to ${endpoint}: ${error.message}`);
    case 'aborted':
      return new ChatFailure('interrupted', INTERRUPTED_EXIT_CODE);
    case 'closed_before_session':
      return new ChatFailure(`${endpoint} closed the connection before the session started: ${error.message}`);
    default:
      return new ChatFailure(`cannot connect to ${endpoint}: ${error.message}`);
  }
}

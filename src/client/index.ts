/**
 * `voicelive/client`: a small TypeScript client for the Azure Voice Live / OpenAI Realtime wire
 * protocol, for Node and browsers. It speaks like the official `@azure/ai-voicelive` SDK on the
 * wire (URL, api-version, credential placement), so the same code talks to a voicelive server and
 * to Azure.
 *
 * @example
 * ```ts
 * import { connect, decodePcm16 } from 'voicelive/client';
 *
 * await using connection = await connect({ endpoint: 'http://localhost:8080', credential: process.env.VOICELIVE_API_KEY ?? 'local', model: 'gpt-realtime' });
 * connection.session.update({ session: { instructions: 'Be brief.', voice: 'alloy' } });
 * connection.conversation.item.create({ item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello!' }] } });
 * connection.response.create();
 * for await (const event of connection) {
 *   if (event.type === 'response.audio.delta') speaker.write(decodePcm16(event));
 *   if (event.type === 'response.audio_transcript.delta') process.stdout.write(event.delta);
 *   if (event.type === 'response.done') break;
 * }
 * ```
 */
export { connect } from './connect.js';
export type { ConnectOptions } from './connect.js';
export type { VoiceLiveConnection, WaitForOptions } from './connection.js';
export type {
  ClientEventBase,
  ConversationItemResource,
  ConversationResource,
  InputAudioBufferResource,
  ItemInput,
  OutputAudioBufferResource,
  RawClientEvent,
  ResponseCreateParams,
  ResponseResource,
  SessionResource,
  SessionUpdate,
  TranscriptionSessionResource,
} from './resources.js';
export { isKnownServerEvent, knownServerEventTypes } from './events.js';
export type {
  ContentPart,
  Item,
  KnownServerEvent,
  ServerErrorDetails,
  ServerEvent,
  ServerEventOf,
  ServerEventType,
  SessionObject,
  UnknownServerEvent,
} from './events.js';
export { ConnectionClosed, ConnectionError, EventTimeoutError, describeCloseCode } from './errors.js';
export type { CloseInfo, CloseInitiator, ConnectionErrorKind } from './errors.js';
export { DEFAULT_TOKEN_SCOPES } from './credential.js';
export type { Credential, KeyCredentialLike, TokenProvider, TokenResult } from './credential.js';
export { DEFAULT_API_VERSION, DEFAULT_REALTIME_PATH } from './endpoint.js';
export type { AgentTarget } from './endpoint.js';
export type { WebSocketConstructor, WebSocketLike } from './webTransport.js';
export { decodeAudio, decodePcm16, encodeAudio, littleEndianBytesToPcm16, pcm16DurationMs, pcm16ToLittleEndianBytes } from './audio.js';
export type { AudioInput, AudioPayload } from './audio.js';

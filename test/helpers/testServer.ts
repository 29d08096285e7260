/** Starts a real voicelive server in-process on a free loopback port for tests. */
import { pino } from 'pino';
import { resolveServerConfig } from '../../src/config/serverConfig.js';
import type { ServerConfigInput } from '../../src/config/serverConfig.js';
import type { EngineCatalog } from '../../src/engines/engineCatalog.js';
import type { EngineSet } from '../../src/engines/engineSet.js';
import { createEngineCatalog, singleProfileCatalog } from '../../src/engines/registry.js';
import { VoiceLiveServer } from '../../src/server/voiceLiveServer.js';

export interface TestServer {
  server: VoiceLiveServer;
  catalog: EngineCatalog;
  /** The default profile's engines. */
  engines: EngineSet;
  port: number;
  /** http://127.0.0.1:port — what SDKs take as the endpoint. */
  httpUrl: string;
  /** ws://127.0.0.1:port */
  wsUrl: string;
  close(): Promise<void>;
}

export async function startTestServer(
  overrides: ServerConfigInput = {},
  options: { speech?: boolean; engines?: EngineSet } = {},
): Promise<TestServer> {
  // Two warm ASR decoders are plenty for a test's sessions and start much faster than eight.
  const config = resolveServerConfig({ port: 0, logLevel: 'silent', asrDecoders: 2 }, overrides);
  const catalog = options.engines
    ? singleProfileCatalog(config, options.engines)
    : await createEngineCatalog(config, { speech: options.speech ?? false });
  const server = new VoiceLiveServer(config, catalog, pino({ level: 'silent' }));
  const address = await server.listen();
  const scheme = config.tls ? 'https' : 'http';
  return {
    server,
    catalog,
    engines: catalog.defaultProfile.engines,
    port: address.port,
    httpUrl: `${scheme}://127.0.0.1:${address.port}`,
    wsUrl: `${config.tls ? 'wss' : 'ws'}://127.0.0.1:${address.port}`,
    async close() {
      await server.close();
      if (!options.engines) await catalog.close();
    },
  };
}

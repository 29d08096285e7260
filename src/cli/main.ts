/** The `voicelive` command line. */
import { Command } from 'commander';
import { serve } from './serve.js';

const program = new Command();
program.name('voicelive').description('Self-hosted realtime voice-agent server (Azure Voice Live / OpenAI Realtime protocol)');

program
  .command('serve')
  .description('Start the realtime server')
  .option('--host <host>', 'interface to listen on (default 127.0.0.1)')
  .option('--port <port>', 'TCP port (default 8080; 0 picks a free one)')
  .option('--config <file>', 'JSON config file (same keys as the config object in README)')
  .option('--api-key <key...>', 'accepted API key(s); or set VOICELIVE_API_KEY / VOICELIVE_API_KEYS')
  .option('--llm <engine>', 'LLM engine (default: scripted)')
  .option('--voice <voice>', 'default voice (default: alloy)')
  .option('--instructions <text>', 'default session instructions')
  .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (default info)')
  .option('--allow-unauthenticated-remote', 'allow a non-loopback host without an API key')
  .option('--text-only', 'do not load the speech engines (TTS/ASR/VAD)')
  .option('--tls-cert <file>', 'serve TLS (wss://) with this certificate (PEM)')
  .option('--tls-key <file>', 'private key for --tls-cert (PEM)')
  .action(async (flags) => {
    try {
      await serve(flags);
    } catch (error) {
      console.error(`voicelive serve: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
  });

await program.parseAsync(process.argv);

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
  .option('--llm <engine>', "LLM engine: scripted (default) or gguf:<path to .gguf>")
  .option('--llm-url <url>', 'OpenAI-compatible chat endpoint, e.g. http://localhost:11434/v1 (with --llm-model; key in VOICELIVE_LLM_API_KEY)')
  .option('--llm-model <name>', 'model (Azure OpenAI: deployment) at --llm-url')
  .option('--asr <engine>', 'speech recognition: pocketsphinx (default)')
  .option('--asr-url <url>', 'OpenAI-compatible transcription endpoint base URL (with --asr-model; key in VOICELIVE_ASR_API_KEY)')
  .option('--asr-model <name>', 'transcription model at --asr-url, e.g. whisper-1')
  .option('--tts <engine>', 'text to speech: flite (default)')
  .option('--tts-url <url>', 'OpenAI-compatible speech endpoint base URL (with --tts-model; key in VOICELIVE_TTS_API_KEY)')
  .option('--tts-model <name>', 'speech model at --tts-url, e.g. tts-1 or kokoro')
  .option('--unknown-model <policy>', 'a requested model without a profile: default (serve the default profile) or reject (HTTP 400)')
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

program
  .command('chat')
  .description('Talk to a voicelive (or Azure Voice Live) server: microphone and speaker, a WAV file (--input), or typed text (--text)')
  .option('--endpoint <url>', 'server URL (default http://127.0.0.1:8080, or VOICELIVE_ENDPOINT / AZURE_VOICELIVE_ENDPOINT; Azure: https://<resource>.services.ai.azure.com)')
  .option('--api-key <key>', 'API key; or set VOICELIVE_API_KEY / AZURE_VOICELIVE_API_KEY')
  .option('--model <name>', 'model or deployment (default gpt-realtime)')
  .option('--voice <voice>', 'voice, e.g. alloy, or an Azure voice such as en-US-AvaNeural')
  .option('--instructions <text>', 'session instructions for the assistant')
  .option('--input <wav>', 'speak this WAV file (any rate and channel count) as the microphone, then exit when the reply is complete')
  .option('--output <wav>', 'write the spoken answer of --input or --text to this WAV file (PCM16 mono 24 kHz)')
  .option('--text <message>', 'send a typed message and exit when the reply is complete (played, or written with --output)')
  .option('--log <file>', 'write every event sent and received to this file (JSON lines with timestamps, audio abbreviated)')
  .option('--no-audio', 'text answers only (no speaker, no --output)')
  .option('--audio-tool <tool>', 'microphone/speaker tools to use: pulse (parec/pacat), alsa (arecord/aplay) or sox (rec/play); default: the first found')
  .option('--realtime', 'send --input at real-time pace instead of as fast as the connection takes it')
  .option('--transcription-model <name>', "input transcription model (default whisper-1 for realtime models, azure-speech otherwise; 'none' turns it off)")
  .option('--timeout <seconds>', 'give up on a reply in file and text modes after this long (default 120)')
  .option('--connect-timeout <seconds>', 'give up connecting after this long (default 15)')
  .action(async (flags) => {
    const { chatCommand } = await import('./chat.js');
    const exitCode = await chatCommand(flags);
    process.exitCode = exitCode;
    // Child processes and sockets are closed by now; do not let a stray handle keep the process alive.
    setTimeout(() => process.exit(exitCode), 2000).unref();
  });

await program.parseAsync(process.argv);

/**
 * A run of `voicelive chat` that cannot go on: its message is the one line printed to stderr
 * (after `voicelive chat: `) before exiting with `exitCode`.
 */
/** Exit status after Ctrl-C, as shells report SIGINT. */
export const INTERRUPTED_EXIT_CODE = 130;

export class ChatFailure extends Error {
  override readonly name = 'ChatFailure';

  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

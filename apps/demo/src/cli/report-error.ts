/** What `--json` prints, as `{"error": …}`, when a command fails. */
export interface ErrorReport {
  /** The error class, e.g. `'FlagError'`, `'CorruptFileError'`. */
  name: string;
  message: string;
  /** The flag, argument or file the error is about, when it names one. */
  argument: string | null;
}

/** Describes a thrown value for the user. */
export function errorReport(error: unknown): ErrorReport {
  if (error instanceof Error) {
    const named = error as Error & { argument?: unknown; file?: unknown; path?: unknown };
    const argument = [named.argument, named.file, named.path].find((x) => typeof x === 'string') as
      | string
      | undefined;
    return { name: error.name, message: error.message, argument: argument ?? null };
  }
  return { name: 'Error', message: String(error), argument: null };
}

/**
 * Makes text safe to print on a terminal: C0/C1 control characters (escape sequences, backspaces, bells
 * from a hostile file) become `\\xNN` / `\\uNNNN`; tab and newline stay.
 */
export function sanitizeForTerminal(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

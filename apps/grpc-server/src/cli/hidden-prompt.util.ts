/** A terminal input: what the prompt needs of process.stdin when it is a TTY. */
export interface TerminalInput {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export class PromptCancelled extends Error {
  override readonly name = 'PromptCancelled';
}

/**
 * Asks for a secret on a terminal without echoing it: raw mode, so no character reaches the screen (readline would
 * echo them). Enter ends the input; Backspace deletes; Ctrl-C or Ctrl-D on an empty line cancels.
 */
export function promptHidden(input: TerminalInput, output: Pick<NodeJS.WritableStream, 'write'>, question: string): Promise<string> {
  if (!input.isTTY || !input.setRawMode) return Promise.reject(new Error('a hidden prompt needs a terminal'));
  output.write(question);
  input.setRawMode(true);
  input.resume();
  return new Promise<string>((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode!(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of String(chunk)) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003' || (char === '\u0004' && value.length === 0)) return finish(new PromptCancelled('cancelled'));
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else if (char >= ' ') value += char;
      }
    };
    input.on('data', onData);
  });
}

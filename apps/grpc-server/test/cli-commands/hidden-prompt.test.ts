import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { promptHidden, PromptCancelled } from '../../src/cli/hidden-prompt.util.js';
import { readAdminPassword } from '../../src/cli/create-admin.command.js';
import { bufferIo } from './support/admin-harness.support.js';

/** A stand-in terminal: a stream that says it is a TTY and records raw-mode switches. */
function fakeTerminal() {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode(mode: boolean): void; rawModes: boolean[] };
  stream.isTTY = true;
  stream.rawModes = [];
  stream.setRawMode = (mode: boolean) => void stream.rawModes.push(mode);
  return stream;
}

describe('the hidden password prompt', () => {
  it('never echoes what is typed, honours Backspace, and restores the terminal', async () => {
    const terminal = fakeTerminal();
    let shown = '';
    const answer = promptHidden(terminal, { write: (s: string) => ((shown += s), true) }, 'Password: ');
    terminal.write('secrex');
    terminal.write('\u007ft pass\r');
    expect(await answer).toBe('secret pass');
    expect(shown).toBe('Password: \n');
    expect(terminal.rawModes).toEqual([true, false]);
  });

  it('Ctrl-C cancels', async () => {
    const terminal = fakeTerminal();
    const answer = promptHidden(terminal, { write: () => true }, 'Password: ');
    terminal.write('abc\u0003');
    await expect(answer).rejects.toBeInstanceOf(PromptCancelled);
    expect(terminal.rawModes).toEqual([true, false]);
  });

  it('create-admin asks twice on a terminal and refuses two different answers', async () => {
    const terminal = fakeTerminal();
    const io = { ...bufferIo(), stdin: terminal };
    const reading = readAdminPassword(io);
    terminal.write('first answer\r');
    await new Promise((resolve) => setImmediate(resolve));
    terminal.write('second answer\r');
    await expect(reading).rejects.toThrow('the two passwords differ');
    expect(io.err()).not.toContain('answer');
  });
});

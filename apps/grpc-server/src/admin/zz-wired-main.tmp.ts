import { buildProgram } from '../cli/cli.program.js';
import { registerAdminCommands } from './index.js';
const setExitCode = (code: number) => {
  process.exitCode = code;
};
const program = buildProgram(setExitCode);
registerAdminCommands(program, { setExitCode });
await program.parseAsync(process.argv);

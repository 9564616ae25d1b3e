import { Command, Option } from 'commander';
import { generateSigningKey, SIGNING_ALGORITHMS, type SigningAlgorithm } from '@authsvc/core';
import { writeSecretFile } from '../composition/secret-file.js';

/** `keys generate --out file`: a new signing key set file (owner-only), for jwt.keysFile. */
export function generateKeysCommand(setExitCode: (code: number) => void): Command {
  const keys = new Command('keys').description('signing key sets for jwt.keysFile');
  keys
    .command('generate')
    .description('write a new signing key set file with one key (the file must not exist yet)')
    .requiredOption('-o, --out <file>', 'file to create (mode 0600)')
    .addOption(new Option('-a, --alg <alg>', 'algorithm').choices([...SIGNING_ALGORITHMS]).default('EdDSA'))
    .action(async (options: { out: string; alg: SigningAlgorithm }) => {
      const key = await generateSigningKey(options.alg);
      if ((await writeSecretFile(options.out, `${JSON.stringify({ keys: [key] }, null, 2)}\n`)) === 'exists') {
        process.stderr.write(`${options.out} already exists; not overwritten\n`);
        setExitCode(1);
        return;
      }
      process.stdout.write(`wrote ${options.out} (kid ${key.kid}, ${key.alg})\n`);
    });
  return keys;
}

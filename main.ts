/**
 * The CDKTF app (`cdktf.json` runs it for `cdktf synth` and `cdktf deploy`;
 * `npm run synth` runs it directly). Invalid input is reported in full, with
 * a non-zero exit, and leaves no configuration behind.
 */
import { isInputError } from './lib/errors';
import { synthesize } from './lib/synth';

try {
  synthesize();
} catch (err) {
  if (!isInputError(err)) throw err;
  console.error(err.message);
  process.exitCode = 1;
}

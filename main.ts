/**
 * The CDKTF app (`cdktf.json` runs it for `cdktf synth` and `cdktf deploy`;
 * `npm run synth` runs it directly). Invalid input is reported in full, with
 * a non-zero exit (and as annotations inside GitHub Actions), and leaves no
 * configuration behind.
 */
import { isInputError } from './inputs/errors';
import { reportInputError } from './inputs/report';
import { synthesize } from './stacks/synth';

try {
  synthesize();
} catch (err) {
  if (!isInputError(err)) throw err;
  reportInputError(err);
  process.exitCode = 1;
}

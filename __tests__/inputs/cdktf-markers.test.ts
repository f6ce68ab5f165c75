/**
 * Text cdktf would replace: its token markers and token numbers, refused in
 * both input files by name, wherever they are.
 */
import { Token } from 'cdktf';
import { InputFileError } from '../../inputs/errors';
import { cdktfMarkerProblem } from '../../inputs/cdktf-markers';
import { injectedInputs, validated } from '../support/injection';

function problemsOf(edit: (i: ReturnType<typeof injectedInputs>) => void): string[] {
  const inputs = injectedInputs(['a']);
  edit(inputs);
  try {
    validated(inputs);
  } catch (err) {
    if (err instanceof InputFileError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

test('a token marker in free text is refused, naming the path, the value and what to do', () => {
  expect(
    problemsOf((i) => {
      i.settings.organisationName = 'Org ${TfToken[TOKEN.3]}';
      i.settings.helpContact = 'ask #{TfToken[TOKEN.1]}';
    }),
  ).toEqual([
    '$.organisationName: holds "${TfToken[", which cdktf (the tool that writes the Terraform configuration) reads as a reference to one of its own values; remove it; found "Org ${TfToken[TOKEN.3]}"',
    '$.helpContact: holds "#{TfToken[", which cdktf (the tool that writes the Terraform configuration) reads as a reference to one of its own values; remove it; found "ask #{TfToken[TOKEN.1]}"',
  ]);
});

test('a number with the bit pattern of a cdktf token is refused, in a roster tag too', () => {
  const tokenNumber = String(Token.asNumber('anything'));
  expect(cdktfMarkerProblem(`cost ${tokenNumber}`)).toMatch(/reads as one of its own values/);
  expect(
    problemsOf((i) => {
      (i.roster.users as { tags?: object }[])[0].tags = { cost: tokenNumber };
    }),
  ).toEqual([
    expect.stringMatching(
      /^\$\.users\[0\]\.tags\.cost: holds the number "-[\d.]+e\+\d+", which cdktf .* write it another way/,
    ),
  ]);
});

test.each([
  '1e5',
  '-1.5e+10',
  '6.02e23 things',
  '${path.cwd}',
  '%{if}',
  '{TfToken[x]}',
  '$TfToken[',
])('ordinary text is kept: %s', (text) => {
  expect(cdktfMarkerProblem(text)).toBeUndefined();
});

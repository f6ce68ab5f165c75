/** The function's code asset: its hash changes when the code does, and only then. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { bundleWelcome } from '../../stacks/welcome-bundle';
import { zipDirectorySync } from '../../stacks/zip';
import { IamOnboardingStack } from '../../stacks/iam-onboarding-stack';
import {
  fixtureCode,
  only,
  ROSTER,
  synthStack,
  trailNoZone,
  type TfConfig,
} from '../support/stack';

const hashOf = (codeDir: string) =>
  String(only(synthStack(trailNoZone(), codeDir).config, 'aws_lambda_function').source_code_hash);

describe('welcome code asset', () => {
  test('the same code in another directory, or touched, keeps its hash', () => {
    const a = fixtureCode('exports.handler = async () => 1;\n');
    const b = fixtureCode('exports.handler = async () => 1;\n');
    const before = hashOf(a);
    expect(hashOf(b)).toBe(before);
    utimesSync(join(a, 'index.js'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(hashOf(a)).toBe(before);
  });

  test('changed code changes the hash and the archive path', () => {
    const dir = fixtureCode('exports.handler = async () => 1;\n');
    const first = synthStack(trailNoZone(), dir).config;
    writeFileSync(join(dir, 'index.js'), 'exports.handler = async () => 2;\n');
    const second = synthStack(trailNoZone(), dir).config;
    const fn = (c: TfConfig) => only(c, 'aws_lambda_function');
    expect(fn(second).source_code_hash).not.toBe(fn(first).source_code_hash);
    expect(fn(second).filename).not.toBe(fn(first).filename);
  });

  test('the real bundle is deterministic, and is what the stack deploys by default', () => {
    const one = bundleWelcome({ outdir: mkdtempSync(join(tmpdir(), 'bundle-a-')) });
    const two = bundleWelcome({ outdir: mkdtempSync(join(tmpdir(), 'bundle-b-')) });
    expect(hashOf(two.dir)).toBe(hashOf(one.dir));
    // Without a code directory the stack bundles handlers/welcome itself.
    const stack = new IamOnboardingStack(Testing.app(), {
      roster: ROSTER,
      settings: trailNoZone(),
    });
    const fn = only(JSON.parse(Testing.synth(stack, true)) as TfConfig, 'aws_lambda_function');
    expect(fn.source_code_hash).toBe(hashOf(one.dir));
    // ...and it is the SHA-256 of the very zip that is deployed, as Lambda computes it.
    expect(fn.source_code_hash).toBe(one.archiveSha256);
    expect(fn.source_code_hash).toBe(
      createHash('sha256').update(readFileSync(one.archive)).digest('base64'),
    );
  });
});

describe('deterministic zip', () => {
  const python = (script: string, ...args: string[]) =>
    execFileSync('python3', ['-c', script, ...args], { encoding: 'utf8' });

  test('is a valid archive holding the files, the same bytes each time', () => {
    const dir = fixtureCode('exports.handler = async () => "hello";\n');
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'lib', 'util.js'), 'module.exports = 42;\n');
    const a = zipDirectorySync(dir, join(tmpdir(), `a-${process.pid}.zip`)).archive;
    utimesSync(join(dir, 'index.js'), new Date(2010, 1, 1), new Date(2010, 1, 1));
    const b = zipDirectorySync(dir, join(tmpdir(), `b-${process.pid}.zip`)).archive;
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    const listing = python(
      [
        'import sys, zipfile',
        'z = zipfile.ZipFile(sys.argv[1])',
        'assert z.testzip() is None',
        'for i in z.infolist(): print(i.filename, oct(i.external_attr >> 16), z.read(i).decode().strip())',
      ].join('\n'),
      a,
    );
    expect(listing.trim().split('\n')).toEqual([
      'index.js 0o100644 exports.handler = async () => "hello";',
      'lib/util.js 0o100644 module.exports = 42;',
    ]);
  });
});

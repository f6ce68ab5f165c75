/** The fast tier's guard (__tests__/support/in-process.ts) holds, whichever way a process is asked for. */
import * as childProcess from 'node:child_process';
import { buildSync } from 'esbuild';

describe('a fast test', () => {
  it('cannot start a process', () => {
    expect(() => childProcess.spawnSync('terraform', ['version'])).toThrow(
      /node:child_process\.spawnSync in a fast test.*\*\.proc\.test\.ts/,
    );
    expect(() => childProcess.execFile('node', ['-v'])).toThrow(/in a fast test/);
  });

  it('cannot run esbuild, whose synchronous calls start it from a worker thread', () => {
    expect(() => buildSync({ stdin: { contents: 'export {}' }, write: false })).toThrow(
      /esbuild\.buildSync in a fast test/,
    );
  });
});

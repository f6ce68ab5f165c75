/** The command-to-action table is complete and names real SDK commands. */
import * as iamSdk from '@aws-sdk/client-iam';
import * as sesSdk from '@aws-sdk/client-ses';
import * as snsSdk from '@aws-sdk/client-sns';
import * as sqsSdk from '@aws-sdk/client-sqs';
import * as ssmSdk from '@aws-sdk/client-ssm';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionOfCommand, COMMAND_ACTIONS } from '../../../../handlers/welcome/aws/actions';

const AWS_DIR = join(__dirname, '..', '..', '..', '..', 'handlers', 'welcome', 'aws');

describe('COMMAND_ACTIONS', () => {
  it('names SDK command classes, each with an action of its own service', () => {
    for (const [name, { action }] of Object.entries(COMMAND_ACTIONS)) {
      const sdks = { iam: iamSdk, ses: sesSdk, sqs: sqsSdk, sns: snsSdk, ssm: ssmSdk } as Record<
        string,
        object
      >;
      const services = Object.keys(sdks).filter(
        (service) => typeof (sdks[service] as Record<string, unknown>)[name] === 'function',
      );
      expect([name, services]).toEqual([name, [action.split(':')[0]]]);
      expect(action).toBe(`${services[0]}:${name.replace(/Command$/, '')}`);
    }
  });

  it('covers every command the function constructs, exercised by a test or not', () => {
    const constructed = new Set<string>();
    for (const file of readdirSync(AWS_DIR).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(AWS_DIR, file), 'utf8');
      for (const match of source.matchAll(/new (\w+Command)\(/g)) constructed.add(match[1]);
    }
    expect(constructed.size).toBeGreaterThan(5);
    expect([...constructed].filter((name) => actionOfCommand(name) === undefined)).toEqual([]);
    // And nothing is granted that the function never sends.
    expect(Object.keys(COMMAND_ACTIONS).sort()).toEqual([...constructed].sort());
  });

  it('answers undefined for names it does not know, inherited ones included', () => {
    expect(actionOfCommand('DeleteUserCommand')).toBeUndefined();
    expect(actionOfCommand('toString')).toBeUndefined();
  });
});

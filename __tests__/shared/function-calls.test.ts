/**
 * The one table of the function's AWS calls (shared/function-calls.ts) names
 * real SDK commands, exactly the ones the handler's files send, and is what
 * the function's role grants: a new SDK call without a row fails here.
 */
import * as iamSdk from '@aws-sdk/client-iam';
import * as sesSdk from '@aws-sdk/client-ses';
import * as sesv2Sdk from '@aws-sdk/client-sesv2';
import * as snsSdk from '@aws-sdk/client-sns';
import * as sqsSdk from '@aws-sdk/client-sqs';
import * as ssmSdk from '@aws-sdk/client-ssm';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformStack, Testing } from 'cdktf';
import * as ts from 'typescript';
import {
  actionsOn,
  callOfCommand,
  FUNCTION_CALLS,
  QUEUE_POLLER_ACTIONS,
  statementActions,
} from '../../shared/function-calls';
import { RequestFunction } from '../../stacks/request-function';
import { fixtureCode } from '../support/stack';

const HANDLER_DIR = join(__dirname, '..', '..', 'handlers', 'welcome');
/** The SDK packages of each IAM service prefix: SES v1 and v2 share `ses:`. */
const SDKS: Record<string, readonly object[]> = {
  iam: [iamSdk],
  ses: [sesSdk, sesv2Sdk],
  sqs: [sqsSdk],
  sns: [snsSdk],
  ssm: [ssmSdk],
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? tsFiles(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/**
 * Every `new X(...)` in a source whose `X` is imported from an AWS SDK
 * client package (renamed imports and namespace imports included), by the
 * class's exported name.
 */
function sdkCommandsConstructed(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const named = new Map<string, string>();
  const namespaces = new Set<string>();
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) {
      continue;
    }
    if (!statement.moduleSpecifier.text.startsWith('@aws-sdk/client-')) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) {
      for (const el of bindings.elements) {
        named.set(el.name.text, (el.propertyName ?? el.name).text);
      }
    }
  }
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node)) {
      const e = node.expression;
      if (ts.isIdentifier(e) && named.has(e.text)) found.push(named.get(e.text)!);
      if (
        ts.isPropertyAccessExpression(e) &&
        ts.isIdentifier(e.expression) &&
        namespaces.has(e.expression.text)
      ) {
        found.push(e.name.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  // Clients are constructed too; commands are what is sent.
  return found.filter((name) => name.endsWith('Command'));
}

describe('FUNCTION_CALLS', () => {
  it('names SDK command classes, each with an action of its own service', () => {
    const withCommand = FUNCTION_CALLS.filter((c) => 'command' in c);
    expect(withCommand.length).toBeGreaterThan(10);
    for (const row of withCommand) {
      const { command, action } = row as { command: string; action: string };
      const services = Object.keys(SDKS).filter((service) =>
        SDKS[service].some(
          (sdk) => typeof (sdk as Record<string, unknown>)[command] === 'function',
        ),
      );
      expect([command, services]).toEqual([command, [action.split(':')[0]]]);
      expect(action).toBe(`${services[0]}:${command.replace(/Command$/, '')}`);
    }
  });

  it('has one row per action, and only the runtime rows without a command', () => {
    const actions = FUNCTION_CALLS.map((c) => c.action);
    expect(new Set(actions).size).toBe(actions.length);
    expect(FUNCTION_CALLS.filter((c) => !('command' in c)).map((c) => c.on)).toEqual([
      'own-log-stream',
      'own-log-stream',
    ]);
  });

  it('is exactly what the handler files send, read with the TypeScript parser', () => {
    const sent = new Map<string, string>();
    for (const file of tsFiles(HANDLER_DIR)) {
      for (const name of sdkCommandsConstructed(file, readFileSync(file, 'utf8'))) {
        sent.set(name, file.slice(HANDLER_DIR.length + 1));
      }
    }
    const unlisted = [...sent].filter(([name]) => callOfCommand(name) === undefined);
    expect(unlisted).toEqual([]);
    const listed = FUNCTION_CALLS.flatMap((c) => ('command' in c ? [c.command] : []));
    expect([...sent.keys()].sort()).toEqual([...listed].sort());
  });

  it('answers undefined for commands it does not know, inherited names included', () => {
    expect(callOfCommand('DeleteUserCommand')).toBeUndefined();
    expect(callOfCommand('toString')).toBeUndefined();
    expect(callOfCommand('TagUserCommand')?.on).toBe('managed-user-tag');
  });
});

describe('the parser reading of a handler file', () => {
  it('finds renamed, namespace and nested constructions, and nothing but SDK commands', () => {
    const source = [
      "import { TagUserCommand as Tag, IAMClient } from '@aws-sdk/client-iam';",
      "import * as sqs from '@aws-sdk/client-sqs';",
      "import { LocalCommand } from './local';",
      'const c = new IAMClient({});',
      'async function f() { await c.send(new Tag({ UserName: "x", Tags: [] })); }',
      'const g = () => new sqs.SendMessageCommand({ QueueUrl: "", MessageBody: "" });',
      'new LocalCommand();',
    ].join('\n');
    expect(sdkCommandsConstructed('x.ts', source)).toEqual([
      'TagUserCommand',
      'SendMessageCommand',
    ]);
  });
});

describe("the function's role", () => {
  const stack = new TerraformStack(Testing.app(), 's');
  const fn = new RequestFunction(stack, 'fn', {
    accountId: '123456789012',
    queueArn: 'arn:aws:sqs:us-east-1:123456789012:q',
    queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q',
    queueKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k',
    senderIdentityArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com',
    fromAddress: 'it@example.com',
    settings: {
      senderAddress: 'it@example.com',
      organisationName: 'Example',
      helpContact: 'help@example.com',
      unusedPasswordDays: 7,
    },
    logRetentionDays: 30,
    codeDir: fixtureCode(),
    notices: {
      adminTopicArn: 'arn:aws:sns:us-east-1:123456789012:admins',
      slackWebhookParameter: {
        name: '/slack',
        arn: 'arn:aws:ssm:us-east-1:123456789012:parameter/slack',
      },
      sesConfigurationSet: {
        name: 'set',
        arn: 'arn:aws:ses:us-east-1:123456789012:configuration-set/set',
      },
    },
  });
  const granted = fn.statements.flatMap((s) => [s.Action ?? []].flat());

  it('grants every action of the table and the poller, and besides them only KMS', () => {
    const expected = [...FUNCTION_CALLS.map((c) => c.action), ...QUEUE_POLLER_ACTIONS];
    expect([...new Set(granted.filter((a) => !a.startsWith('kms:')))].sort()).toEqual(
      [...new Set(expected)].sort(),
    );
  });

  it('writes one action as a string, several as a list', () => {
    expect(statementActions('managed-user-tag')).toBe('iam:TagUser');
    expect(statementActions('account')).toEqual(actionsOn('account'));
    expect(actionsOn('account')).toHaveLength(4);
  });
});

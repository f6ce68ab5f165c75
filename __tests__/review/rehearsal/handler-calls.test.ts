/**
 * The rehearsal's list of the handler's calls (review/rehearsal/handler-calls.ts)
 * names exactly the actions of the function's own command table
 * (handlers/welcome/aws/actions.ts), plus the logs its runtime writes: a new
 * SDK call without a rehearsal hop fails here.
 */
import { COMMAND_ACTIONS } from '../../../handlers/welcome/aws/actions';
import { WELCOME_HANDLER_CALLS } from '../../../review/rehearsal/handler-calls';

/** Calls the Lambda runtime makes with the function's role, outside the handler's SDK clients. */
const RUNTIME_CALLS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

it('names every action of the command table, each once, and nothing else but the logs', () => {
  // An action rehearsed again with another context (TagUser's expired tag) carries a label.
  const unlabelled = WELCOME_HANDLER_CALLS.filter((c) => c.label === undefined);
  const rehearsed = unlabelled.map((c) => c.action);
  expect(new Set(rehearsed).size).toBe(rehearsed.length);
  const commands = Object.values(COMMAND_ACTIONS).map((c) => c.action);
  expect([...rehearsed].sort()).toEqual([...commands, ...RUNTIME_CALLS].sort());
  const labelled = WELCOME_HANDLER_CALLS.filter((c) => c.label !== undefined);
  expect(new Set(labelled.map((c) => `${c.action} ${c.label}`)).size).toBe(labelled.length);
  for (const call of labelled) expect(rehearsed).toContain(call.action);
});

it('rehearses each action on the kind of resource the command table says it acts on', () => {
  const kinds = Object.fromEntries(WELCOME_HANDLER_CALLS.map((c) => [c.action, c.on]));
  for (const { action, resource } of Object.values(COMMAND_ACTIONS)) {
    expect({ action, on: kinds[action] }).toEqual({ action, on: resource });
  }
  for (const action of RUNTIME_CALLS) expect(kinds[action]).toBe('own-log-stream');
});

/**
 * The rehearsal's list of the handler's calls (review/rehearsal/handler-calls.ts)
 * is the function's one table (shared/function-calls.ts), row for row, plus
 * the expiry run's own TagUser context: a row added to the table is rehearsed
 * without anyone writing a hop.
 */
import { FUNCTION_CALLS } from '../../../shared/function-calls';
import { ON_UNMANAGED_USERS, WELCOME_HANDLER_CALLS } from '../../../review/rehearsal/handler-calls';

it('rehearses every row of the table once, on its kind of resource, and labels the extra', () => {
  const unlabelled = WELCOME_HANDLER_CALLS.filter((c) => c.label === undefined);
  expect(unlabelled.map(({ action, on }) => ({ action, on }))).toEqual(
    FUNCTION_CALLS.map(({ action, on }) => ({ action, on })),
  );
  const labelled = WELCOME_HANDLER_CALLS.filter((c) => c.label !== undefined);
  expect(labelled.map((c) => `${c.action} ${c.on} (${c.label})`)).toEqual([
    'iam:TagUser managed-user-tag (expired tag)',
    'iam:TagUser managed-user-tag (suspension records)',
  ]);
});

it('checks every call on a user against users the function does not manage', () => {
  const onUsers = FUNCTION_CALLS.filter((c) => c.on.includes('user')).map((c) => c.on);
  expect(onUsers.length).toBeGreaterThan(5);
  for (const on of onUsers) expect(ON_UNMANAGED_USERS[on]).toBeDefined();
  // Writes are refused there; only reads on any user are allowed.
  expect(ON_UNMANAGED_USERS).toEqual({
    user: 'allowed',
    'managed-user': 'refused',
    'managed-user-tag': 'refused',
  });
});

/** The one reading of a plan's people, over a plan with every kind of change. */
import { readPlanPeople, resendCounter } from '../../review/plan-people';
import { change, peoplePlan, RESENT, user, WELCOMED } from '../support/people-plan';
import { managed } from '../support/preview-plan';

const names = (people: readonly { userName: string }[]) => people.map((p) => p.userName);

describe('readPlanPeople', () => {
  const people = readPlanPeople(peoplePlan);

  it('tells added, removed, replaced and forgotten people apart, with address and groups', () => {
    expect(people.added).toEqual([
      {
        userName: 'ann',
        path: '/iam-onboarding/',
        tags: managed('ann@example.com', 'Ann'),
        email: 'ann@example.com',
        displayName: 'Ann',
        groups: ['dev'],
      },
      expect.objectContaining({ userName: 'abe' }),
      expect.objectContaining({ userName: 'nomail' }),
    ]);
    expect(people.removed).toEqual([
      expect.objectContaining({ userName: 'dan', email: 'dan@example.com', groups: ['ops'] }),
    ]);
    expect(people.replaced).toEqual([
      { person: expect.objectContaining({ userName: 'rex' }), forcedBy: ['path'] },
    ]);
    expect(names(people.forgotten)).toEqual(['fay']);
  });

  it('pairs a deleted and a created user with the same address (any case) as a rename, and a moved user as the same user renamed', () => {
    expect(people.renamed.map((r) => [r.from.userName, r.to.userName, r.sameUser]).sort()).toEqual([
      ['bo.chen', 'bo.chen2', false],
      ['mo.old', 'mo.new', true],
    ]);
    expect(names(people.added)).not.toContain('bo.chen2');
    expect(names(people.removed)).not.toContain('bo.chen');
  });

  it('lists everyone else who changes, with what changes', () => {
    expect(names(people.changed)).toEqual([
      'carla',
      'fay',
      'gus',
      'liz',
      'mo.new',
      'otto',
      'pat',
      'ray',
      'rex',
      'rose',
    ]);
    const carla = people.all.get('carla')!;
    expect(carla.user?.tags).toEqual([{ key: 'display-name', before: 'Carla', after: 'Carla D' }]);
    expect(people.all.get('gus')?.groups).toEqual({
      action: 'change',
      before: ['dev'],
      after: ['dev', 'ops'],
    });
    expect(people.all.get('pat')?.policies).toEqual([
      { action: 'add', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    ]);
    expect(people.attachments).toEqual([
      { userName: 'pat', action: 'add', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    ]);
  });

  it('welcomes every user the plan creates that the function accepts: new, renamed and re-created', () => {
    expect(people.welcome).toEqual([
      { userName: 'abe', email: 'abe@example.com', reason: 'added' },
      { userName: 'ann', email: 'ann@example.com', displayName: 'Ann', reason: 'added' },
      { userName: 'bo.chen2', email: 'bo@example.com', reason: 'renamed' },
      { userName: 'rex', email: 'rex@example.com', reason: 'replaced' },
    ]);
    expect(names(people.welcome)).toEqual(WELCOMED);
    expect(people.notWelcomed).toEqual([
      { userName: 'nomail', why: 'tag email: there is no such tag' },
    ]);
  });

  it('resends only where the counter rises on a user it updates and the function accepts', () => {
    expect(people.resend).toEqual([
      { userName: 'ray', email: 'ray@example.com', from: 0, to: 1 },
      { userName: 'rose', email: 'rose@example.com', displayName: 'Rose', from: 1, to: 2 },
    ]);
    expect(names(people.resend)).toEqual(RESENT);
    // Created with a counter, or re-created with it raised: the first welcome only.
    for (const first of ['abe', 'rex']) expect(names(people.resend)).not.toContain(first);
  });

  it('compares the counter as a number, and reads no counter from a value that is not one', () => {
    const plan = (before: string | undefined, after: string | undefined) => ({
      format_version: '1.2',
      resource_changes: [
        change(
          'aws_iam_user',
          'x',
          ['update'],
          user('x', {
            ...managed('x@example.com'),
            ...(before ? { 'resend-welcome': before } : {}),
          }),
          user('x', { ...managed('x@example.com'), ...(after ? { 'resend-welcome': after } : {}) }),
        ),
      ],
    });
    expect(names(readPlanPeople(plan('9', '10')).resend)).toEqual(['x']);
    expect(names(readPlanPeople(plan('10', '9')).resend)).toEqual([]);
    expect(names(readPlanPeople(plan('2', undefined)).resend)).toEqual([]);
    expect(names(readPlanPeople(plan('1', 'two')).resend)).toEqual([]);
    expect(names(readPlanPeople(plan('x', '3')).resend)).toEqual([]);
    expect(resendCounter({})).toBe(0);
    expect(resendCounter({ 'resend-welcome': '007' })).toBe(7);
    for (const bad of ['-1', '1.5', ' 1', '', '1e3', '9999999999'])
      expect(resendCounter({ 'resend-welcome': bad })).toBeUndefined();
  });

  it('reads nothing from a plan without changes', () => {
    const empty = readPlanPeople({ format_version: '1.2' });
    expect([empty.added, empty.changed, empty.welcome, empty.resend]).toEqual([[], [], [], []]);
  });
});

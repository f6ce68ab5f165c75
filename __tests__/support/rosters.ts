/** Small rosters for plans of roster changes: a base roster and one change of each kind. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const GROUPS = [
  { groupName: 'developers', policies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
  { groupName: 'billing', policies: ['arn:aws:iam::aws:policy/job-function/Billing'] },
  {
    groupName: 'auditors',
    policies: [
      'arn:aws:iam::aws:policy/SecurityAudit',
      'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
    ],
  },
];
const [developers, billing, auditors] = GROUPS as [
  (typeof GROUPS)[0],
  (typeof GROUPS)[1],
  (typeof GROUPS)[2],
];

const alice = {
  userName: 'alice.martin',
  email: 'alice.martin@example.com',
  displayName: 'Alice Martin',
  groups: ['developers'],
};
const bo = {
  userName: 'bo.chen',
  email: 'bo.chen@example.com',
  groups: ['developers', 'auditors'],
};
const carla = {
  userName: 'carla.diaz',
  email: 'carla.diaz@example.com',
  displayName: 'Carla Díaz',
  groups: ['billing'],
};

export const BASE = { groups: GROUPS, users: [alice, bo, carla] };

export const CHANGES = {
  add: {
    groups: GROUPS,
    users: [
      alice,
      bo,
      carla,
      {
        userName: 'dan.ng',
        email: 'dan.ng@example.com',
        displayName: 'Dan Ng',
        groups: ['developers'],
      },
    ],
  },
  remove: { groups: GROUPS, users: [alice, bo] },
  rename: { groups: GROUPS, users: [alice, { ...bo, userName: 'bo.chen2' }, carla] },
  regroup: {
    groups: GROUPS,
    users: [
      { ...alice, groups: ['billing', 'developers'] },
      bo,
      { ...carla, displayName: 'Carla Díaz-Ruiz' },
    ],
  },
  widen: {
    groups: [
      {
        groupName: 'developers',
        policies: [
          'arn:aws:iam::aws:policy/ReadOnlyAccess',
          'arn:aws:iam::aws:policy/AdministratorAccess',
        ],
      },
      billing,
      auditors,
    ],
    users: [alice, bo, carla],
  },
  /** The group with two policies goes, and its only member leaves it. */
  dropGroup: {
    groups: [developers, billing],
    users: [alice, { ...bo, groups: ['developers'] }, carla],
  },
  /** Everything in another order: groups, their policies, people, their groups. */
  reorder: {
    groups: [auditors, billing, developers].map((g) => ({
      ...g,
      policies: [...g.policies].reverse(),
    })),
    users: [carla, { ...bo, groups: [...bo.groups].reverse() }, alice],
  },
  /** Raises alice's resend counter: a new password and email, nothing else. */
  resend: { groups: GROUPS, users: [{ ...alice, resend: 1 }, bo, carla] },
} as const;

export function writeRoster(dir: string, name: string, roster: unknown): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(roster, null, 2));
  return file;
}

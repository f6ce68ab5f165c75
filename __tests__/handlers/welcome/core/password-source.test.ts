/**
 * The password's randomness comes from node:crypto and nothing else: with
 * node:crypto's randomInt replaced, every character follows the replacement,
 * and Math.random is never asked. A generator rewritten on Math.random (or
 * any other source) fails here, though it would pass every property test.
 */
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, randomInt: jest.fn(actual.randomInt) };
});

import { randomInt } from 'node:crypto';
import {
  DIGITS,
  generatePassword,
  IAM_DEFAULT_RULES,
  LOWERCASE,
  MIN_GENERATED_LENGTH,
  PASSWORD_ALPHABET,
  SYMBOLS,
  UPPERCASE,
} from '../../../../handlers/welcome/core/password';

const cryptoRandomInt = randomInt as unknown as jest.Mock<number, [number]>;

afterEach(() => {
  jest.restoreAllMocks();
  cryptoRandomInt.mockReset();
  cryptoRandomInt.mockImplementation(
    jest.requireActual<typeof import('node:crypto')>('node:crypto').randomInt,
  );
});

it('draws every character from node:crypto randomInt, asking only for in-range bounds', () => {
  const draws: number[] = [];
  cryptoRandomInt.mockImplementation((max: number) => {
    draws.push(max);
    return max - 1;
  });
  const password = generatePassword(IAM_DEFAULT_RULES);
  // One per class, one per remaining place, one per shuffle step.
  expect(draws).toHaveLength(4 + (MIN_GENERATED_LENGTH - 4) + (MIN_GENERATED_LENGTH - 1));
  // Always the last of each set: the password is made of exactly those.
  const last = (s: string) => s[s.length - 1];
  expect(new Set(password)).toEqual(
    new Set([
      last(UPPERCASE),
      last(LOWERCASE),
      last(DIGITS),
      last(SYMBOLS),
      last(PASSWORD_ALPHABET),
    ]),
  );
});

it('changes with what node:crypto answers, and never asks Math.random', () => {
  const random = jest.spyOn(Math, 'random').mockImplementation(() => {
    throw new Error('Math.random is not a source for passwords');
  });
  cryptoRandomInt.mockImplementation(() => 0);
  const zeros = generatePassword(IAM_DEFAULT_RULES);
  expect(new Set(zeros)).toEqual(new Set([UPPERCASE[0], LOWERCASE[0], DIGITS[0], SYMBOLS[0]]));
  cryptoRandomInt.mockImplementation((max: number) => Math.floor(max / 2));
  const halves = generatePassword(IAM_DEFAULT_RULES);
  expect(halves).not.toBe(zeros);
  // Same answers, same password: nothing else feeds it.
  expect(generatePassword(IAM_DEFAULT_RULES)).toBe(halves);
  expect(random).not.toHaveBeenCalled();
});

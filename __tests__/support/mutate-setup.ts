/**
 * Only under Stryker (jest.mutate.config.js): a property that fails stops at
 * the first counterexample instead of shrinking it. A mutant is killed either
 * way; shrinking only makes a readable report, and would make each killed
 * mutant cost seconds (long enough to be counted as a timeout).
 */
import fc from 'fast-check';

fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });

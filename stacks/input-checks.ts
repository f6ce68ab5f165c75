/**
 * Input checks for constructs that take free-form values: every problem is
 * collected, then thrown once, naming the construct, so one run shows all.
 */
import type { Construct } from 'constructs';
import { Token } from 'cdktf';

export class ConstructInputError extends Error {
  constructor(
    readonly constructPath: string,
    readonly problems: readonly string[],
  ) {
    super(
      `Invalid properties for ${constructPath}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConstructInputError';
  }
}

/** Collects problems; `throwIfAny` raises them together. */
export class InputChecks {
  private readonly problems: string[] = [];

  /** Records `message` unless `ok`. Unresolved tokens are not checked (their value is not known yet). */
  check(ok: boolean, message: string): this {
    if (!ok) this.problems.push(message);
    return this;
  }

  /** Checks a literal string against a pattern; a token passes (checked by Terraform/AWS later). */
  matches(name: string, value: string, re: RegExp, rule: string): this {
    if (Token.isUnresolved(value)) return this;
    return this.check(re.test(value), `${name} ${JSON.stringify(value)} ${rule}`);
  }

  /** Checks an integer range. */
  integerIn(name: string, value: number, min: number, max: number): this {
    return this.check(
      Number.isInteger(value) && value >= min && value <= max,
      `${name} must be an integer from ${min} to ${max} (got ${value})`,
    );
  }

  throwIfAny(scope: Construct): void {
    if (this.problems.length > 0) throw new ConstructInputError(scope.node.path, this.problems);
  }
}

/** IAM/Lambda/SNS/SQS style resource names: letters, digits, hyphens, underscores. */
export const RESOURCE_NAME = /^[A-Za-z0-9_-]+$/;
/** A 12-digit AWS account id: the rule the settings and the function apply too. */
export { ACCOUNT_ID } from '../shared/rules';

/**
 * Terraform blocks CDKTF 0.21 has no construct for, written into the JSON
 * configuration as Terraform reads it (this project synthesizes JSON only):
 *
 * - `removed` (Terraform 1.7+): stop managing a resource without destroying it;
 * - `check` (Terraform 1.5+): assertions evaluated at every plan and apply,
 *   whose failures (including a failing scoped data source) are warnings.
 *
 * Each is an element of the stack like a resource, so the stack merges it
 * into the configuration (lists concatenate, so several `removed` elements
 * add up). Both are checked by real `terraform validate` and `plan` in tests.
 */
import { TerraformElement } from 'cdktf';
import type { Construct } from 'constructs';

export interface RemovedResourcesProps {
  /** Resource addresses (`type.name`) to forget. */
  readonly from: readonly string[];
}

/**
 * `removed { from = <address>; lifecycle { destroy = false } }` for each
 * address: Terraform drops the resource from its state and leaves the real
 * object alone ("will no longer be managed by Terraform"). For an address
 * not in the state it does nothing. Only a normal plan honours it: `terraform
 * destroy` still destroys whatever the state holds.
 */
export class RemovedResources extends TerraformElement {
  readonly from: readonly string[];

  constructor(scope: Construct, id: string, props: RemovedResourcesProps) {
    super(scope, id);
    this.from = [...props.from];
  }

  override toTerraform(): unknown {
    return {
      removed: this.from.map((from) => ({ from, lifecycle: { destroy: false } })),
    };
  }
}

export interface CheckAssertion {
  /** A Terraform expression, e.g. `${data.aws_route53_zone.sender.private_zone == false}`. */
  readonly condition: string;
  readonly errorMessage: string;
}

export interface CheckBlockProps {
  /** The check's name in the configuration (a Terraform identifier). */
  readonly name: string;
  /**
   * Data sources scoped to the check, by type then name, with their
   * arguments in Terraform's spelling: `{ aws_route53_zone: { sender: { zone_id: 'Z...' } } }`.
   * Inside the check they are referred to as `data.<type>.<name>`.
   */
  readonly data?: Readonly<
    Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>
  >;
  readonly assertions: readonly CheckAssertion[];
}

/** A `check` block: warns (never fails) at plan and apply when an assertion does not hold. */
export class CheckBlock extends TerraformElement {
  readonly name: string;
  private readonly props: CheckBlockProps;

  constructor(scope: Construct, id: string, props: CheckBlockProps) {
    super(scope, id);
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(props.name))
      throw new Error(`check name "${props.name}" is not a Terraform identifier`);
    if (props.assertions.length === 0) throw new Error(`check "${props.name}" asserts nothing`);
    this.name = props.name;
    this.props = props;
  }

  override toTerraform(): unknown {
    return {
      check: {
        [this.name]: {
          ...(this.props.data ? { data: this.props.data } : {}),
          assert: this.props.assertions.map((a) => ({
            condition: a.condition,
            error_message: a.errorMessage,
          })),
        },
      },
    };
  }
}

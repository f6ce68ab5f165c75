import { DefaultTokenResolver, StringConcat, Tokenization, type TerraformStack } from 'cdktf';

/**
 * A value as the synthesized configuration will state it: tokens (attribute
 * references) become their Terraform expressions, so that two references to
 * the same attribute compare equal as plain values.
 */
export function asExpression(stack: TerraformStack, value: unknown): unknown {
  return Tokenization.resolve(value, {
    scope: stack,
    resolver: new DefaultTokenResolver(new StringConcat()),
    preparing: true,
  });
}

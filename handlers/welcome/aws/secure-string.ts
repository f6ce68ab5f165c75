/**
 * A credential kept in an SSM SecureString (the Slack webhook URL, the bot
 * token): read with decryption (SSM uses the aws/ssm key), trimmed, because
 * `put-parameter --value file://…` keeps the file's trailing newline. The
 * caller judges the value and names its own errors: the value is never
 * logged or put in a message.
 */
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';

/** The parameter's value, trimmed; `undefined` when no such parameter exists. */
export async function readSecureString(
  ssm: SSMClient,
  parameterName: string,
): Promise<string | undefined> {
  try {
    const { Parameter } = await ssm.send(
      new GetParameterCommand({ Name: parameterName, WithDecryption: true }),
    );
    return (Parameter?.Value ?? '').trim();
  } catch (error) {
    if (error instanceof Error && error.name === 'ParameterNotFound') return undefined;
    throw error;
  }
}

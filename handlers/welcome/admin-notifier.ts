/**
 * The real NotifyAdmins: renders a notice once and delivers it to every
 * destination the configuration names (the admins' SNS topic, Slack), side
 * by side. Best effort by design: a destination that fails is logged as
 * `admin notice not delivered` with its kind and the error's NAME, and the
 * welcome it reports goes on. Nothing about the Slack URL is ever logged.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { type AdminNotice, notifyNobody, type NotifyAdmins } from './core/admin-notice';
import { renderAdminNotice, type RenderedAdminNotice } from './core/admin-notice-render';
import type { WelcomeConfig } from './core/config';
import { postToSlack, publishNotice, readWebhookUrl, SlackDeliveryError } from './aws/notify';

export interface NotifierDeps {
  readonly sns?: SNSClient;
  readonly ssm?: SSMClient;
  /** @default the runtime's fetch */
  readonly fetch?: typeof fetch;
  readonly logger: Logger;
}

/** The webhook URL, kept for the life of the execution environment once read. */
export interface WebhookCache {
  url?: string;
}

type Destination = 'email-topic' | 'slack';

/**
 * The error's name. Not core/errors' errorName: fetch rejects with a
 * DOMException (TimeoutError, AbortError), which need not be an `Error`
 * instance of this realm, and its name is exactly what the log should say.
 */
function nameOf(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name !== '' ? name : typeof error;
}

class MissingClient extends Error {
  override name = 'MissingClient';
}

export function adminNotifier(
  deps: NotifierDeps,
  config: Pick<WelcomeConfig, 'organisationName' | 'adminTopicArn' | 'slackWebhookParameter'>,
  cache: WebhookCache,
): NotifyAdmins {
  const { adminTopicArn: topicArn, slackWebhookParameter: parameter } = config;
  if (!topicArn && !parameter) return notifyNobody;

  const deliver = async (
    destination: Destination,
    notice: AdminNotice,
    send: () => Promise<void>,
  ): Promise<void> => {
    try {
      await send();
      deps.logger.info('admin notice sent', {
        destination,
        kind: notice.kind,
        userName: notice.userName,
      });
    } catch (error) {
      deps.logger.warn('admin notice not delivered', {
        destination,
        kind: notice.kind,
        userName: notice.userName,
        // The name only: fetch's messages (and causes) can quote the URL.
        errorName: nameOf(error),
        ...(error instanceof SlackDeliveryError && error.httpStatus !== undefined
          ? { httpStatus: error.httpStatus }
          : {}),
      });
    }
  };

  const toTopic = async (rendered: RenderedAdminNotice): Promise<void> => {
    if (!deps.sns) throw new MissingClient();
    await publishNotice(deps.sns, topicArn!, rendered);
  };

  const toSlack = async (rendered: RenderedAdminNotice): Promise<void> => {
    if (!deps.ssm) throw new MissingClient();
    const url = cache.url ?? (await readWebhookUrl(deps.ssm, parameter!));
    cache.url = url;
    try {
      await postToSlack(deps.fetch ?? fetch, url, rendered.slack);
    } catch (error) {
      // The webhook may have been rotated: read the parameter again next time.
      delete cache.url;
      throw error;
    }
  };

  return async (notice) => {
    const rendered = renderAdminNotice(notice, { organisationName: config.organisationName });
    await Promise.all([
      ...(topicArn ? [deliver('email-topic', notice, () => toTopic(rendered))] : []),
      ...(parameter ? [deliver('slack', notice, () => toSlack(rendered))] : []),
    ]);
  };
}

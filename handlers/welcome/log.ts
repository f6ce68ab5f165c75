/**
 * Structured JSON logs. Log lines carry user names, event IDs and outcomes;
 * passwords are never passed to the logger, and errors are logged through
 * describeError (name, redacted message, request ID), never as SDK objects.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'iam-onboarding-welcome' });

/** The attributes every line about one event carries. */
export interface LogKeys {
  eventId?: string;
  snsMessageId?: string;
  userName?: string;
  /** The SQS record's message ID (what a batch item failure names). */
  sqsMessageId?: string;
  /** `ApproximateReceiveCount`, 1 on the first delivery. */
  receiveCount?: number;
}

export type LogAttributes = Record<string, unknown>;

/**
 * Log methods bound to one event's keys. Keys go on each line rather than
 * into logger.appendKeys so that concurrent work in one process (tests, a
 * multi-record batch) cannot mix up whose line is whose.
 */
export interface EventLog {
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
}

export function eventLog(base: Logger, keys: LogKeys): EventLog {
  return {
    info: (message, attributes = {}) => base.info(message, { ...keys, ...attributes }),
    warn: (message, attributes = {}) => base.warn(message, { ...keys, ...attributes }),
    error: (message, attributes = {}) => base.error(message, { ...keys, ...attributes }),
  };
}

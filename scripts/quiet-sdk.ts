/**
 * Turns off the AWS SDK's "Node.js 20 will be unsupported" notice in the
 * operator tools, the documented way (aws/aws-sdk-js-v3#7983: the SDK reads
 * `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true` when it builds its
 * first client). Only that notice: every other warning still prints. The
 * function itself runs on Node.js 22, where the SDK prints nothing; these
 * tools run wherever an operator's Node.js is (20 is still in `engines`).
 * Import it before any client is built; a value the caller set is kept.
 */
export const NODE_VERSION_WARNING_ENV = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

process.env[NODE_VERSION_WARNING_ENV] ??= 'true';

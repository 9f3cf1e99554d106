// The failure converter of every client, worker and workflow bundle the project creates (ops/codec.ts): failure
// messages and stack traces move into an encoded payload, which the encryption codec then encrypts, so that a refusal's
// reason or an agency's error text is never stored in clear. Plain CommonJS: the SDK loads it by path, with require
// in the worker and the client and with the bundler in the workflow sandbox.
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });

/**
 * The package entry of secu-alert-dooray: the Lambda handler and its parts, and the offline CloudWatch
 * semantics (filter patterns, metric filters, alarm evaluation). Built to `dist/index.mjs` with type
 * declarations in `dist/types/`.
 */
export * from './defaults.js';
export * from './events/index.js';
export { toAlert, completeAlert, alarmConsoleUrl, testMarkOf, DEFAULT_SUBJECTS } from './alert/alert.js';
export type {
  Alert,
  AlertDraft,
  AlertExtras,
  AlertOptions,
  Locale,
  Severity,
  Skip,
  TestMark,
} from './alert/alert.js';
export { render, headline, type RenderOptions } from './alert/render.js';
export * from './dooray/message.js';
export { createDoorayClient, DeliveryError, parseRetryAfter } from './dooray/client.js';
export type {
  AttemptRecord,
  DeliveryOutcome,
  DoorayClient,
  DoorayClientOptions,
  PostOptions,
} from './dooray/client.js';
export { HookUrlError, parseHookUrl, redactHookUrl } from './dooray/url.js';
export { Pacer } from './dooray/pacer.js';
export { startReceiver, type Receiver, type ReceivedMessage } from './dooray/receiver.js';
export { AlertDeliveryError, createHandler, handler, MemoryDedupe } from './lambda/handler.js';
export type {
  AlertHandler,
  DecisionLogger,
  DedupeStore,
  HandlerDeps,
  HandlerResult,
} from './lambda/handler.js';
export { ConfigError, loadConfig, type HandlerConfig, type HookUrlSource } from './lambda/config.js';
export {
  compileFilterPattern,
  testMetricFilter,
  FilterPatternError,
  CloudWatchConfigError,
  parseFilterPattern,
  createMetricFilter,
  MetricAlarm,
  alarmNotificationMessage,
  snsLambdaEvent,
  type CompiledFilterPattern,
  type MetricFilterMatchRecord,
  type MetricAlarmConfig,
  type MetricFilter,
} from './cloudwatch/index.js';

import type { Alert } from '../../alert/alert.js';
import { render } from '../../alert/render.js';
import type { DoorayMessage } from '../../dooray/message.js';
import type { StepEnv } from './env.js';

/** Render: the Dooray message of an alert in the configured locale, time zone and bot identity. Pure. */
export function messageOf(alert: Alert, env: StepEnv): DoorayMessage {
  const { config } = env;
  return render(alert, {
    locale: config.locale,
    timeZone: config.timeZone,
    botName: config.botName,
    ...(config.botIconImage ? { botIconImage: config.botIconImage } : {}),
  });
}

import { randomUUID } from 'node:crypto';
import { wsChannels, type WsOutboundSpec } from '../../../generated/v1/ws-events.js';
import type { EventActor } from '../events/domain-event.js';
import type { Logger } from '../logging/logger.js';
import type { Clock } from '../time/clock.js';
import type { WsChannel } from './realtime.port.js';

const SYSTEM_ACTOR: EventActor = { kind: 'system', id: 'api' };

export interface FrameMeta {
  correlationId?: string;
  actor?: EventActor;
}

/** The envelope of every server frame (DESIGN §4). */
export interface Envelope {
  id: string;
  type: string;
  occurredAt: string;
  schemaVersion: 1;
  payload: object;
  metadata: { correlationId?: string; actor: EventActor };
}

/**
 * Builds outbound envelopes and, outside production, checks each against the channel's generated
 * outbound validator: a frame that breaks the contract is logged and counted, never dropped.
 * @example
 * const outbound = createOutbound({ clock, log, validate: true });
 * const env = outbound.envelope('chat.typing', payload);
 * outbound.check('client', env);
 */
export interface Outbound {
  /** Whether `check` should be called (the caller skips the work in production). */
  readonly validating: boolean;
  envelope(type: string, payload: object, meta?: FrameMeta): Envelope;
  check(channel: WsChannel, env: Envelope): void;
  /** Frames that broke the contract so far (tests assert 0). */
  invalid(): number;
}

export function createOutbound(deps: { clock: Clock; log: Logger; validate: boolean }): Outbound {
  const { clock, log } = deps;
  let invalid = 0;
  return {
    validating: deps.validate,
    envelope(type, payload, meta) {
      const metadata: Envelope['metadata'] = { actor: meta?.actor ?? SYSTEM_ACTOR };
      if (meta?.correlationId) metadata.correlationId = meta.correlationId;
      return {
        id: randomUUID(),
        type,
        occurredAt: clock.now().toISOString(),
        schemaVersion: 1,
        payload,
        metadata,
      };
    },
    check(channel, env) {
      const spec = (wsChannels[channel].outbound as Record<string, WsOutboundSpec>)[env.type];
      if (spec && spec.validate(env)) return;
      invalid++;
      log.error(
        {
          channel,
          type: env.type,
          errors: spec
            ? spec.validate.errors?.slice(0, 5)
            : 'not an outbound message of this channel',
        },
        'OUTBOUND FRAME BREAKS THE CONTRACT',
      );
    },
    invalid: () => invalid,
  };
}

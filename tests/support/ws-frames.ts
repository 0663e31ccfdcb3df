import type {
  AdminOutboundPayloads,
  ClientOutboundPayloads,
  SiteOutboundPayloads,
} from '../../generated/v1/ws-types.js';

type AnyOutboundPayloads = SiteOutboundPayloads | ClientOutboundPayloads | AdminOutboundPayloads;

/** Every server-to-client message type, on any channel. */
export type OutboundType =
  keyof SiteOutboundPayloads | keyof ClientOutboundPayloads | keyof AdminOutboundPayloads;

type PayloadIn<Payloads, Type extends string> =
  Payloads extends Record<Type, infer Payload> ? Payload : never;

/** The generated payload of an outbound message type (the union over the channels that send it). */
export type OutboundPayload<Type extends OutboundType> = PayloadIn<AnyOutboundPayloads, Type>;

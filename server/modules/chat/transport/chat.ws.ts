import type { WsHandlers } from '../../../../generated/v1/ws-events.js';
import { AppError } from '../../../shared/errors/app-error.js';
import { toProblem } from '../../../shared/http/problem.js';
import type { RealtimeFanout, WsContext } from '../../../shared/realtime/realtime.port.js';
import type { ChatDeps, ChatMeta } from '../application/chat.deps.js';
import { markReceipt } from '../application/mark-receipt.use-case.js';
import { replayMessages } from '../application/replay-messages.use-case.js';
import { sendMessage } from '../application/send-message.use-case.js';
import type { ChatActor } from '../domain/chat-actor.js';
import { RESUME_MAX_MESSAGES } from '../domain/chat.entity.js';
import { acceptedFrame, siteFrame } from './chat.frames.js';
import { guestActorOf, userActorOf } from './chat.actor.js';
import { broadcastTyping } from './chat.typing.js';

type UserChannelHandlers = WsHandlers<WsContext>['client'];

function meta(ctx: WsContext, correlationId: string | undefined): ChatMeta {
  return { now: ctx.now, requestId: ctx.requestId, ...(correlationId ? { correlationId } : {}) };
}

function corr(correlationId: string | undefined) {
  return correlationId ? { correlationId } : undefined;
}

/** A refused or failed frame answers `system.error` on this socket; an unexpected error is logged without the frame. */
function reportError(
  ctx: WsContext,
  err: unknown,
  correlationId: string | undefined,
  pointer?: string,
): void {
  if (!(err instanceof AppError))
    ctx.log.error({ err, requestId: ctx.requestId }, 'chat ws handler failed');
  const problem = toProblem(err, ctx.requestId).body;
  const body =
    pointer && err instanceof AppError && !problem.errors
      ? { ...problem, errors: [{ pointer, message: problem.title }] }
      : problem;
  ctx.connection.send('system.error', body, corr(correlationId));
}

async function guarded(
  ctx: WsContext,
  correlationId: string | undefined,
  fn: () => Promise<void>,
): Promise<void> {
  try {
    await fn();
  } catch (err) {
    reportError(ctx, err, correlationId);
  }
}

function userChannel(deps: ChatDeps, fanout: RealtimeFanout): UserChannelHandlers {
  return {
    'chat.send': ({ payload, correlationId, ctx }) =>
      guarded(ctx, correlationId, async () => {
        const { message } = await sendMessage(
          deps,
          userActorOf(ctx.connection),
          payload,
          meta(ctx, correlationId),
        );
        ctx.connection.send('chat.message_accepted', acceptedFrame(message), corr(correlationId));
      }),
    'chat.typing': ({ payload, correlationId, ctx }) =>
      guarded(ctx, correlationId, () =>
        broadcastTyping(deps, fanout, userActorOf(ctx.connection), payload, ctx.now),
      ),
    'chat.read': ({ payload, correlationId, ctx }) =>
      guarded(ctx, correlationId, () =>
        markReceipt(
          deps,
          userActorOf(ctx.connection),
          { ...payload, kind: 'read' },
          meta(ctx, correlationId),
        ),
      ),
    'chat.delivered': ({ payload, correlationId, ctx }) =>
      guarded(ctx, correlationId, () =>
        markReceipt(
          deps,
          userActorOf(ctx.connection),
          { ...payload, kind: 'delivered' },
          meta(ctx, correlationId),
        ),
      ),
    'chat.resume': ({ payload, correlationId, ctx }) =>
      guarded(ctx, correlationId, async () => {
        const actor: ChatActor = userActorOf(ctx.connection);
        const list = payload.conversations;
        refuseRepeats(list);
        // One conversation after another, each replayed in seq order and closed by `chat.caught_up`,
        // all of them together up to RESUME_MAX_MESSAGES; none once the socket is gone.
        const replay = new ResumeBudget(ctx);
        for (const [index, value] of list.entries()) {
          if (replay.stopped())
            return ctx.log.debug(
              { requested: list.length, replayed: index },
              'resume stopped: the socket closed',
            );
          try {
            const done = await replayMessages(
              deps,
              actor,
              value,
              (chatMessage) => replay.send('chat.message', chatMessage, correlationId),
              replay.options(),
            );
            ctx.connection.send('chat.caught_up', done, corr(correlationId));
          } catch (err) {
            reportError(ctx, err, correlationId, `/payload/conversations/${index}/conversationId`);
          }
        }
      }),
  };
}

/** A resume names each conversation once (the contract's uniqueItems cannot see one listed with two seqs). */
function refuseRepeats(list: readonly { conversationId: string }[]): void {
  const seen = new Set<string>();
  for (const [index, value] of list.entries()) {
    if (seen.has(value.conversationId)) {
      throw new AppError('WS.INVALID_FRAME', {
        detail: 'A conversation is listed more than once.',
        errors: [
          {
            pointer: `/payload/conversations/${index}/conversationId`,
            message: 'is listed more than once',
            keyword: 'uniqueItems',
          },
        ],
      });
    }
    seen.add(value.conversationId);
  }
}

/** What one resume may still replay, and whether anyone is still listening. */
class ResumeBudget {
  private left = RESUME_MAX_MESSAGES;
  constructor(private readonly ctx: WsContext) {}
  stopped(): boolean {
    return !this.ctx.connection.open;
  }
  options() {
    return { limit: this.left, stopped: () => this.stopped() };
  }
  send(type: string, payload: object, correlationId: string | undefined): void {
    this.left--;
    this.ctx.connection.send(type, payload, corr(correlationId));
  }
}

/**
 * Chat's handlers for every inbound frame of every channel; WSGuard validated, authorized and
 * rate-limited each frame before. Each calls one use-case and answers on its own socket; what
 * others see goes through the outbox fan-out (messages, receipts) or `broadcast` (typing).
 */
export function chatWs(deps: ChatDeps, fanout: RealtimeFanout): WsHandlers<WsContext> {
  return {
    site: {
      'chat.visitor_message': ({ payload, correlationId, ctx }) =>
        guarded(ctx, correlationId, async () => {
          const { message } = await sendMessage(
            deps,
            guestActorOf(ctx.connection),
            payload,
            meta(ctx, correlationId),
          );
          ctx.connection.send('chat.message_accepted', acceptedFrame(message), corr(correlationId));
        }),
      'chat.visitor_typing': ({ payload, correlationId, ctx }) =>
        guarded(ctx, correlationId, () =>
          broadcastTyping(deps, fanout, guestActorOf(ctx.connection), payload, ctx.now),
        ),
      'chat.resume': ({ payload, correlationId, ctx }) =>
        guarded(ctx, correlationId, async () => {
          const stopped = () => !ctx.connection.open;
          const done = await replayMessages(
            deps,
            guestActorOf(ctx.connection),
            { afterSeq: payload.afterSeq },
            (chatMessage) => {
              const frame = siteFrame(chatMessage);
              if (frame) ctx.connection.send(frame.type, frame.payload, corr(correlationId));
            },
            { limit: RESUME_MAX_MESSAGES, stopped },
          );
          ctx.connection.send('chat.caught_up', done, corr(correlationId));
        }),
    },
    client: userChannel(deps, fanout),
    admin: userChannel(deps, fanout),
  };
}

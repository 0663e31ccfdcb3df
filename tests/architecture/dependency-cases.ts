/** A tiny project tree: every file, by path, with its source. */
export type Tree = Record<string, string>;

/** A well-formed module and shared kernel that every case starts from. */
export const BASE: Tree = {
  'server/shared/errors/app-error.ts': 'export class AppError extends Error {}\n',
  'server/shared/events/domain-event.ts':
    'export interface DomainEvent { id: string; type: string }\n',
  'server/shared/events/outbox.ts':
    "import { pool } from '../db/pool.js';\nexport const outbox = pool;\n",
  'server/shared/db/pool.ts':
    "import pg from 'pg';\nexport const pool = (url: string) => new pg.Pool({ connectionString: url });\n",
  'server/modules/orders/domain/order.entity.ts':
    "import { AppError } from '../../../shared/errors/app-error.js';\nimport { randomUUID } from 'node:crypto';\nimport type { DomainEvent } from '../../../shared/events/domain-event.js';\nexport class OrderNotFound extends AppError {}\nexport type OrderPlaced = DomainEvent;\nexport const newOrderId = () => randomUUID();\n",
  'server/modules/orders/application/order.repository.port.ts':
    "import type { OrderNotFound } from '../domain/order.entity.js';\nexport interface OrderRepository { find(id: string): Promise<OrderNotFound | null> }\n",
  'server/modules/orders/application/place-order.use-case.ts':
    "import type { OrderRepository } from './order.repository.port.js';\nimport { newOrderId } from '../domain/order.entity.js';\nexport const placeOrder = (repo: OrderRepository) => repo.find(newOrderId());\n",
  'server/modules/orders/infrastructure/order.repository.pg.ts':
    "import type { OrderRepository } from '../application/order.repository.port.js';\nimport { OrderNotFound } from '../domain/order.entity.js';\nimport { pool } from '../../../shared/db/pool.js';\nexport const repo = (url: string): OrderRepository => ({ find: async () => (pool(url), new OrderNotFound()) });\n",
  'server/modules/orders/transport/order.http.ts':
    "import { placeOrder } from '../application/place-order.use-case.js';\nexport const http = { placeOrder };\n",
  'server/modules/orders/index.ts':
    "export { placeOrder } from './application/place-order.use-case.js';\nexport { repo } from './infrastructure/order.repository.pg.js';\nexport { http } from './transport/order.http.js';\n",
  'server/modules/billing/application/charge.use-case.ts':
    "import { placeOrder } from '../../orders/index.js';\nexport const charge = placeOrder;\n",
  'server/modules/billing/index.ts': "export { charge } from './application/charge.use-case.js';\n",
  'server/main.ts':
    "import { http } from './modules/orders/index.js';\nimport { charge } from './modules/billing/index.js';\nexport const app = { http, charge };\n",
  'server/dev/start.ts':
    "import { app } from '../main.js';\nimport type { H } from '../../frontends/site/main.js';\nexport const start = (h: H) => [app, h];\n",
  'frontends/site/main.ts':
    "import type { Handlers } from '../../generated/v1/handlers.js';\nexport type H = Handlers<unknown>;\n",
  'generated/v1/handlers.ts': 'export interface Handlers<Ctx> { ping(ctx: Ctx): Promise<void> }\n',
};

export interface Case {
  rule: string;
  bad: string;
  tree: Tree;
}

/** Each dependency rule, broken once on top of BASE. */
export const cases: Case[] = [
  {
    rule: 'no-circular',
    bad: 'two shared helpers import each other',
    tree: {
      'server/shared/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'server/shared/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    },
  },
  {
    rule: 'domain-stays-pure',
    bad: 'a domain file imports its own infrastructure',
    tree: {
      'server/modules/orders/domain/order.policy.ts':
        "import { repo } from '../infrastructure/order.repository.pg.js';\nexport const p = repo;\n",
    },
  },
  {
    rule: 'domain-stays-pure',
    bad: 'a domain file imports server/shared/db',
    tree: {
      'server/modules/orders/domain/order.policy.ts':
        "import { pool } from '../../../shared/db/pool.js';\nexport const p = pool;\n",
    },
  },
  {
    rule: 'domain-stays-pure',
    bad: 'a domain file imports the outbox',
    tree: {
      'server/modules/orders/domain/order.policy.ts':
        "import { outbox } from '../../../shared/events/outbox.js';\nexport const p = outbox;\n",
    },
  },
  {
    rule: 'domain-stays-pure',
    bad: 'a domain file imports an npm package',
    tree: {
      'server/modules/orders/domain/order.policy.ts':
        "import pg from 'pg';\nexport const p = pg;\n",
    },
  },
  {
    rule: 'application-not-to-transport-or-infrastructure',
    bad: 'a use-case imports a repository adapter',
    tree: {
      'server/modules/orders/application/cancel-order.use-case.ts':
        "import { repo } from '../infrastructure/order.repository.pg.js';\nexport const cancel = repo;\n",
    },
  },
  {
    rule: 'infrastructure-only-domain-and-ports',
    bad: 'an adapter calls a use-case',
    tree: {
      'server/modules/orders/infrastructure/order.cron.ts':
        "import { placeOrder } from '../application/place-order.use-case.js';\nexport const cron = placeOrder;\n",
    },
  },
  {
    rule: 'infrastructure-only-domain-and-ports',
    bad: "an adapter imports the module's deps (the unit of work's repositories), not its port",
    tree: {
      'server/modules/orders/application/orders.deps.ts':
        "import type { OrderRepository } from './order.repository.port.js';\nexport interface OrdersRepos { orders: OrderRepository }\n",
      'server/modules/orders/infrastructure/orders.bind.ts':
        "import type { OrdersRepos } from '../application/orders.deps.js';\nexport type R = OrdersRepos;\n",
    },
  },
  {
    rule: 'transport-not-to-infrastructure',
    bad: 'a handler imports a repository',
    tree: {
      'server/modules/orders/transport/order.ws.ts':
        "import { repo } from '../infrastructure/order.repository.pg.js';\nexport const ws = repo;\n",
    },
  },
  {
    rule: 'modules-only-through-index',
    bad: "a module imports another module's domain",
    tree: {
      'server/modules/billing/application/refund.use-case.ts':
        "import { OrderNotFound } from '../../orders/domain/order.entity.js';\nexport const refund = OrderNotFound;\n",
    },
  },
  {
    rule: 'outside-modules-only-through-index',
    bad: "the composition root imports a module's use-case file",
    tree: {
      'server/worker.ts':
        "import { placeOrder } from './modules/orders/application/place-order.use-case.js';\nexport const w = placeOrder;\n",
    },
  },
  {
    rule: 'shared-not-to-modules',
    bad: 'a shared helper imports a module',
    tree: {
      'server/shared/events/bus.ts':
        "import { charge } from '../../modules/billing/index.js';\nexport const bus = charge;\n",
    },
  },
  {
    rule: 'frontends-not-to-server',
    bad: 'a frontend imports server code',
    tree: {
      'frontends/admin/main.ts':
        "import { AppError } from '../../server/shared/errors/app-error.js';\nexport const e = AppError;\n",
    },
  },
  {
    rule: 'nothing-imports-tests',
    bad: 'server code imports a test helper',
    tree: {
      'server/shared/clock.ts':
        "import { fakeClock } from '../../tests/helpers/clock.js';\nexport const clock = fakeClock;\n",
      'tests/helpers/clock.ts': 'export const fakeClock = () => 0;\n',
    },
  },
  {
    rule: 'domain-stays-pure',
    bad: 'a domain file imports an installed npm package',
    tree: {
      'node_modules/fake-orm/package.json': '{ "name": "fake-orm", "main": "index.js" }\n',
      'node_modules/fake-orm/index.js': 'module.exports = {};\n',
      'server/modules/orders/domain/order.policy.ts':
        "import orm from 'fake-orm';\nexport const p = orm;\n",
    },
  },
  {
    rule: 'domain-stays-pure',
    bad: 'a domain file imports the idempotency store',
    tree: {
      'server/shared/http/idempotency.ts':
        "import { pool } from '../db/pool.js';\nexport const store = pool;\n",
      'server/modules/orders/domain/order.policy.ts':
        "import { store } from '../../../shared/http/idempotency.js';\nexport const p = store;\n",
    },
  },
  {
    rule: 'domain-stays-pure',
    bad: 'a domain file imports the LISTEN connection',
    tree: {
      'server/shared/events/pg-listener.ts':
        "import { pool } from '../db/pool.js';\nexport const listen = pool;\n",
      'server/modules/orders/domain/order.policy.ts':
        "import { listen } from '../../../shared/events/pg-listener.js';\nexport const p = listen;\n",
    },
  },
  {
    rule: 'domain-stays-pure',
    bad: 'a domain file imports the housekeeping jobs',
    tree: {
      'server/shared/jobs/housekeeping.ts': 'export const every = (ms: number) => ms;\n',
      'server/modules/orders/domain/order.policy.ts':
        "import { every } from '../../../shared/jobs/housekeeping.js';\nexport const p = every;\n",
    },
  },
  {
    rule: 'production-not-to-dev',
    bad: 'the composition root imports the demo seed from server/dev',
    tree: {
      'server/dev/seed-demo.ts': 'export const seedDemo = () => 0;\n',
      'server/main.ts':
        "import { http } from './modules/orders/index.js';\nimport { seedDemo } from './dev/seed-demo.js';\nexport const app = { http, seedDemo };\n",
    },
  },
  {
    rule: 'server-not-to-frontends',
    bad: 'a server file imports a frontend',
    tree: {
      'server/shared/http/static.ts':
        "import type { H } from '../../../frontends/site/main.js';\nexport const page = (h: H) => h;\n",
    },
  },
  {
    rule: 'shared-layers-point-down',
    bad: 'the raw HTTP server imports BalanceGuard',
    tree: {
      'server/shared/security/balanceguard/balanceguard.ts':
        "import { AppError } from '../../errors/app-error.js';\nexport const MAX_REQUEST_HEADERS = 2000;\nexport const guard = AppError;\n",
      'server/shared/http/server.ts':
        "import { MAX_REQUEST_HEADERS } from '../security/balanceguard/balanceguard.js';\nexport const server = MAX_REQUEST_HEADERS;\n",
    },
  },
  {
    rule: 'shared-layers-point-down',
    bad: 'WSGuard imports the realtime port',
    tree: {
      'server/shared/realtime/realtime.port.ts': "export type WsChannel = 'site' | 'admin';\n",
      'server/shared/security/wsguard/wsguard.ts':
        "import type { WsChannel } from '../../realtime/realtime.port.js';\nexport const channel = (c: WsChannel) => c;\n",
    },
  },
  {
    rule: 'shared-layers-point-down',
    bad: 'the outbox imports a shared folder that has no layer',
    tree: {
      'server/shared/misc/helper.ts': 'export const helper = 1;\n',
      'server/shared/events/outbox.ts':
        "import { pool } from '../db/pool.js';\nimport { helper } from '../misc/helper.js';\nexport const outbox = [pool, helper];\n",
    },
  },
  {
    rule: 'generated-self-contained',
    bad: 'generated code imports server code',
    tree: {
      'generated/v1/errors.ts':
        "import { AppError } from '../../server/shared/errors/app-error.js';\nexport const E = AppError;\n",
    },
  },
];

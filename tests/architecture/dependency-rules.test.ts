import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import extractDepcruiseConfig from 'dependency-cruiser/config-utl/extract-depcruise-config';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const ROOTS = ['server', 'frontends', 'codegen', 'generated', 'tests'];

/** Runs depcruise's API with the project's own .dependency-cruiser.cjs over baseDir; returns the violated rule names. */
async function violations(baseDir: string): Promise<{ rule: string; from: string; to: string }[]> {
  const ruleSet = (await extractDepcruiseConfig(
    path.join(PROJECT_ROOT, '.dependency-cruiser.cjs'),
  )) as IConfiguration;
  const tsConfig = extractTSConfig(path.join(PROJECT_ROOT, 'tsconfig.json'));
  const dirs = ROOTS.filter(
    (d) => existsSync(path.join(baseDir, d)) && !(baseDir === PROJECT_ROOT && d === 'tests'),
  );
  const result = await cruise(
    dirs,
    { ...ruleSet.options, ruleSet, validate: true, baseDir },
    {},
    { tsConfig },
  );
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

type Tree = Record<string, string>;

/** A tiny project tree in a temp folder: every file, by path, with its source. */
async function cruiseTree(tree: Tree) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bk-depcruise-'));
  try {
    for (const [file, source] of Object.entries(tree)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), source);
    }
    return await violations(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A well-formed module and shared kernel that every case starts from. */
const BASE: Tree = {
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
  'frontends/site/main.ts':
    "import type { Handlers } from '../../generated/v1/handlers.js';\nexport type H = Handlers<unknown>;\n",
  'generated/v1/handlers.ts': 'export interface Handlers<Ctx> { ping(ctx: Ctx): Promise<void> }\n',
};

interface Case {
  rule: string;
  bad: string;
  tree: Tree;
}

const cases: Case[] = [
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
    rule: 'generated-self-contained',
    bad: 'generated code imports server code',
    tree: {
      'generated/v1/errors.ts':
        "import { AppError } from '../../server/shared/errors/app-error.js';\nexport const E = AppError;\n",
    },
  },
];

describe('.dependency-cruiser.cjs', () => {
  it('when the layered fixture follows every rule, then no rule fires', async () => {
    expect(await cruiseTree(BASE)).toEqual([]);
  });

  for (const c of cases) {
    it(`when ${c.bad}, then ${c.rule} fires and no other rule`, async () => {
      const found = await cruiseTree({ ...BASE, ...c.tree });
      expect(found.length, JSON.stringify(found)).toBeGreaterThan(0);
      expect(found.map((v) => v.rule)).toEqual(found.map(() => c.rule));
      expect(found.some((v) => Object.keys(c.tree).includes(v.from))).toBe(true);
    });
  }

  it('when the real server, frontends, codegen and generated trees are cruised, then no rule fires', async () => {
    expect(await violations(PROJECT_ROOT)).toEqual([]);
  });
});

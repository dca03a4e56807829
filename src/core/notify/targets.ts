// Where a subscription may send, as far as the text shows. A webhook carries register data and a
// signature, so it goes over https; plain http is accepted only to this machine (a local relay,
// tests — which also needs non-public addresses allowed) unless the configuration explicitly
// allows it. Which address a webhook host resolves to is checked at the edge, where the lookup
// happens (server/outbound.ts). An e-mail address is one mailbox, nothing that could smuggle
// extra headers or recipients into the message.
import ipaddr from 'ipaddr.js';
import { CamauditError } from '../errors.js';

export const CHANNELS = ['webhook', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface TargetRules {
  /** Accept http:// webhooks to any host (notifications.allowHttpWebhooks). */
  allowHttp: boolean;
  /** Non-public receivers are allowed (notifications.allowPrivateTargets), so http to this machine is too. */
  allowPrivate: boolean;
}

function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost') return true;
  const host = hostname.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(host)) return false;
  const address = ipaddr.process(host);
  return address.range() === 'loopback';
}

function checkWebhook(target: string, rules: TargetRules): string {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new CamauditError('usage', `webhook "${target}" is not a URL`);
  }
  if (url.username !== '' || url.password !== '') throw new CamauditError('usage', 'a webhook URL must not contain a user name or password; the signature authenticates the sender');
  if (url.protocol === 'https:') return url.toString();
  if (url.protocol !== 'http:') throw new CamauditError('usage', `webhook "${target}": only https (or http to this machine) is supported`);
  if (rules.allowHttp || (rules.allowPrivate && isLoopback(url.hostname))) return url.toString();
  throw new CamauditError('usage', `webhook "${target}": use https; plain http needs notifications.allowHttpWebhooks (or, to this machine, notifications.allowPrivateTargets)`);
}

// One address: a local part and a domain, no spaces, commas, angle brackets or line breaks.
const MAILBOX = /^[^\s@,;<>"()[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

function checkEmail(target: string): string {
  const address = target.trim();
  if (address.length > 254 || !MAILBOX.test(address)) throw new CamauditError('usage', `"${target}" is not a single e-mail address`);
  return address;
}

/** The target in its stored form, or a usage error saying what is wrong with it. */
export function checkTarget(channel: Channel, target: string, rules: TargetRules): string {
  return channel === 'webhook' ? checkWebhook(target, rules) : checkEmail(target);
}

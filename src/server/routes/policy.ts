// The organisation's assessment policy: the one in force and where it comes from, replacing it
// (checked exactly as `camaudit policy set` checks it: parsed on top of the shipped default, its
// measures compiled against the knowledge base, before anything is stored), and going back to
// the default. Only administrators change it: it decides every finding's severity and deadline.
import { z } from 'zod';
import { compileKnowledge, policyWarnings } from '../../core/assess/assess.js';
import type { Policy } from '../../core/assess/policy.js';
import { loadPolicy } from '../../ingest/policy.js';
import type { KnowledgeBase } from '../../kb/schema.js';
import { clearOrganisationPolicy, getOrganisationPolicy, setOrganisationPolicy } from '../../store/policies.js';
import { route, type RouteSpec } from '../route.js';

const POLICY_URL = '/api/v1/organisations/:org/policy';

/** Large enough for any policy with every rule and measure spelt out; a policy is settings, not data. */
const MAX_POLICY_CHARS = 256 * 1024;

/** The YAML document as the body (text/plain), or in JSON with the file name it came from. */
const PolicyBody = z.union([
  z.string().max(MAX_POLICY_CHARS),
  z.strictObject({ text: z.string().max(MAX_POLICY_CHARS), fileName: z.string().regex(/^[\w. -]{1,200}$/).default('policy.yaml') }),
]);

/** Measures the policy adopts that name no maker in the KB: they can never produce a finding. */
const warningsOf = (kb: KnowledgeBase, policy: Policy) => policyWarnings(kb, policy).map((w) => ({ setting: w.setting, measure: w.measure, why: w.why }));

export function policyRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET', url: POLICY_URL, tags: ['policy'], auth: { org: 'read' },
      summary: 'The assessment policy in force, where it comes from (the organisation\'s own or the shipped default) and its stored text',
      handler: async ({ ctx, scope }) => {
        const stored = await getOrganisationPolicy(ctx.store, scope);
        const policy = await loadPolicy(undefined, stored);
        return {
          origin: stored ? 'organisation' : 'default',
          file: stored?.fileName ?? null, setAt: stored?.setAt ?? null, setBy: stored?.setBy ?? null, text: stored?.text ?? null,
          policy, warnings: warningsOf(await ctx.knowledge(), policy),
        };
      },
    }),
    route({
      method: 'PUT', url: POLICY_URL, tags: ['policy'], auth: { org: 'admin' }, body: PolicyBody,
      summary: 'Store a policy (YAML, usually starting with "extends: default") as the organisation\'s; every later assessment uses it',
      handler: async ({ ctx, scope, body }) => {
        const now = ctx.now();
        const { text, fileName } = typeof body === 'string' ? { text: body, fileName: 'policy.yaml' } : body;
        const policy = await loadPolicy(undefined, { text, fileName, setAt: now, setBy: scope.actor });
        const kb = await ctx.knowledge();
        compileKnowledge(kb, policy);
        await setOrganisationPolicy(ctx.store, scope, text, fileName, now);
        return { origin: 'organisation', file: fileName, setAt: now, setBy: scope.actor, text, policy, warnings: warningsOf(kb, policy) };
      },
    }),
    route({
      method: 'DELETE', url: POLICY_URL, tags: ['policy'], auth: { org: 'admin' }, status: 204, raw: true,
      summary: 'Remove the organisation\'s policy; the shipped default applies again',
      handler: async ({ ctx, scope, reply }) => {
        await clearOrganisationPolicy(ctx.store, scope, ctx.now());
        return reply.code(204).send();
      },
    }),
  ];
}

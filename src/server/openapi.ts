// The OpenAPI 3.1 description, generated from the route declarations and their zod schemas, so
// the document cannot drift from what the server accepts.
import { z } from 'zod';
import { API_VERSION } from './api-version.js';
import type { RouteSpec } from './route.js';

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

function parameters(spec: RouteSpec): Json[] {
  const out: Json[] = [];
  for (const name of spec.url.match(/:([A-Za-z0-9_]+)/g) ?? []) {
    const key = name.slice(1);
    const props = spec.params ? (jsonSchema(spec.params, 'input').properties as Json | undefined) : undefined;
    out.push({ name: key, in: 'path', required: true, schema: props?.[key] ?? { type: 'string' } });
  }
  if (spec.query) {
    const s = jsonSchema(spec.query, 'input');
    const required = new Set((s.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((s.properties as Json | undefined) ?? {})) {
      out.push({ name, in: 'query', required: required.has(name), schema });
    }
  }
  return out;
}

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

function security(spec: RouteSpec): Json[] | undefined {
  if (spec.auth === 'public') return [];
  if (spec.auth === 'agent') return [{ agentSignature: [] }];
  return [{ bearerToken: [] }, { session: [] }];
}

function operation(spec: RouteSpec): Json {
  const responses: Json = {
    [String(spec.status ?? 200)]: {
      description: 'success',
      ...(spec.raw ? {} : { content: { 'application/json': { schema: spec.response ? jsonSchema(spec.response, 'output') : {} } } }),
    },
    default: { description: 'problem', content: PROBLEM },
  };
  const access = typeof spec.auth === 'object' ? `Needs the permission \`${spec.auth.org}\` in the organisation.` : `Access: ${spec.auth}.`;
  return {
    summary: spec.summary,
    description: access,
    tags: spec.tags,
    operationId: `${spec.method.toLowerCase()}${spec.url.replace(/^\/api\/v1/, '').replace(/[/:]+([a-z])/gi, (_m, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '')}`,
    parameters: parameters(spec),
    ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } } : {}),
    responses,
    security: security(spec),
  };
}

export function openApiDocument(specs: readonly RouteSpec[]): Json {
  const paths: Record<string, Json> = {};
  for (const spec of specs) {
    const path = spec.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    (paths[path] ??= {})[spec.method.toLowerCase()] = operation(spec);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'camaudit API',
      version: API_VERSION,
      description: 'Register, identification, discovery, risk assessment, phase-out plan and federation of network cameras and recorders. Errors are RFC 9457 problem+json; every answer carries the API-Version header.',
      license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'An API token (cam_…) made with `camaudit tokens create`.' },
        session: { type: 'apiKey', in: 'cookie', name: 'camaudit_session', description: 'A browser session; writes also need the X-CSRF-Token header.' },
        agentSignature: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Agent <id> with an Ed25519 request signature (docs/decisions/0005).' },
      },
      schemas: {
        Problem: {
          type: 'object',
          properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, instance: { type: 'string' } },
          required: ['type', 'title', 'status'],
        },
      },
    },
  };
}

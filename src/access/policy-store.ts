/**
 * The live access policies of this process: every AccessPolicy, compiled once per version, loaded
 * at start and replaced when one changes on any process (the metadata sync applies each change
 * here, at commit on the writing process and through NOTIFY on the others). Policies are indexed
 * by what they are linked to (User, Client, Operation, role name, or nothing: global), so a
 * request evaluates only its candidates. A policy is checked before it is stored: one that cannot
 * be compiled is refused with access.invalid-policy (422).
 */
import type { Resource } from '../core/index.js';
import type { FhirModel } from '../model/index.js';
import type { PolicyEngine } from './access-policy-type.js';
import { compileBody, type CompiledBody } from './policy-engines.js';
import { compileRows, type PolicyRows } from './policy-rows.js';

export interface CompiledPolicy {
  id: string;
  engine: PolicyEngine;
  body: CompiledBody;
  /** Absent: the policy grants every row of every type. */
  rows?: PolicyRows;
  /** Operation ids it is linked to (Operation/FhirSql): it applies to every request of them. */
  operations: ReadonlySet<string>;
}

export interface PolicyLinks {
  users: string[];
  clients: string[];
  operations: string[];
  roleName?: string;
}

/** Who a policy applies to, from its links in either form ({reference} or {resourceType, id}). */
export function policyLinks(resource: Resource): PolicyLinks {
  const links: PolicyLinks = { users: [], clients: [], operations: [] };
  for (const link of Array.isArray(resource.link) ? resource.link as Record<string, unknown>[] : []) {
    const [type, id] = typeof link?.reference === 'string' ? link.reference.split('/') : [link?.resourceType, link?.id];
    if (typeof id !== 'string' || id === '') continue;
    if (type === 'User') links.users.push(id);
    else if (type === 'Client') links.clients.push(id);
    else if (type === 'Operation') links.operations.push(id);
  }
  if (typeof resource.roleName === 'string' && resource.roleName !== '') links.roleName = resource.roleName;
  return links;
}

/** Compiles a policy; throws access.invalid-policy when it cannot be used. */
export function compilePolicy(resource: Resource, model: FhirModel): CompiledPolicy {
  const body = compileBody(resource, `AccessPolicy/${resource.id ?? ''}`);
  const rows = resource.rows === undefined ? undefined : compileRows(resource.rows, model);
  return { id: resource.id as string, engine: body.engine, body, rows, operations: new Set(policyLinks(resource).operations) };
}

/** A caller's keys into the index. */
export interface CandidateKeys {
  userId?: string;
  clientId?: string;
  roles: readonly string[];
  operationId: string;
}

export class PolicyStore {
  private readonly policies = new Map<string, { policy: CompiledPolicy; links: PolicyLinks }>();
  private index = new Map<string, CompiledPolicy[]>();

  constructor(private readonly model: FhirModel) {}

  /** The metadata sync's check before a policy is stored. */
  check = (resource: Resource): void => {
    compilePolicy(resource, this.model);
  };

  /** Applies a committed version (undefined: deleted). A stored policy that no longer compiles is dropped (denies). */
  apply(id: string, resource: Resource | undefined): void {
    this.policies.delete(id);
    if (resource) this.policies.set(id, { policy: compilePolicy(resource, this.model), links: policyLinks(resource) });
    this.rebuildIndex();
  }

  private rebuildIndex(): void {
    const index = new Map<string, CompiledPolicy[]>();
    const add = (key: string, policy: CompiledPolicy) => index.set(key, [...(index.get(key) ?? []), policy]);
    for (const { policy, links } of this.policies.values()) {
      const keys = [
        ...links.users.map((id) => `user:${id}`), ...links.clients.map((id) => `client:${id}`),
        ...links.operations.map((id) => `operation:${id}`), ...(links.roleName ? [`role:${links.roleName}`] : []),
      ];
      for (const key of keys.length > 0 ? keys : ['global']) add(key, policy);
    }
    this.index = index;
  }

  /** The policies that apply to a request: global ones and those linked to its user, client, roles or operation. */
  candidates(keys: CandidateKeys): CompiledPolicy[] {
    const found = new Set<CompiledPolicy>(this.index.get('global'));
    const lookups = [
      keys.userId && `user:${keys.userId}`, keys.clientId && `client:${keys.clientId}`,
      ...keys.roles.map((role) => `role:${role}`), `operation:${keys.operationId}`,
    ];
    for (const key of lookups) if (key) for (const policy of this.index.get(key) ?? []) found.add(policy);
    return [...found].sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
  }

  size(): number {
    return this.policies.size;
  }
}

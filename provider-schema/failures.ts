/**
 * What the real ovh provider's failures mean for the engineer, and what to do about them: terraform's error blocks,
 * matched on the provider's own words (github:ovh/terraform-provider-ovh v2.19.0, cited per case) and explained
 * with the stack's own names (the resource, the OVH account its provider alias acts as). `npm run verify` and CI's
 * plan and apply jobs print this advice under terraform's words; the README lists the same cases.
 */

/** The part of a synthesized stack the advice reads: who each resource acts as, and what it imports. */
export interface StackFacts {
  resource?: Record<string, Record<string, { provider?: string; '//'?: { metadata?: { path?: string } } }>>;
  variable?: Record<string, { description?: string }>;
  import?: { to: string; id: string }[];
}

/** One of terraform's error blocks: its summary line, the resource it names (`with <address>,`), its details. */
interface ErrorBlock {
  summary: string;
  address?: string;
  details: string;
}

/** Terraform's error blocks, from its output without colours (`-no-color`) or with (`╷ │ ╵` and ANSI codes). */
export function errorBlocks(output: string): ErrorBlock[] {
  const plain = output
    .replace(/\u001b\[[0-9;]*m/g, '')
    .replace(/^[╷╵]\s*$/gm, '')
    .replace(/^│ ?/gm, '');
  return plain
    .split(/^Error: /m)
    .slice(1)
    .map((block) => {
      const [summary, ...rest] = block.split('\n');
      const body = rest.join('\n');
      return { summary: summary.trim(), address: /^\s*with ([^,\s]+),/m.exec(body)?.[1], details: body.replace(/\s+/g, ' ').trim() };
    });
}

/** The OVH account a resource acts as: its provider alias, and the nichandle its credential variables name. */
function accountOf(stack: StackFacts | undefined, address: string | undefined): string {
  if (!stack || !address) return 'its OVH account';
  const [type, name] = address.split('.');
  const alias = stack.resource?.[type]?.[name]?.provider?.replace(/^ovh\./, '');
  if (!alias) return 'its OVH account';
  const described = stack.variable?.[`ovh_${alias}_application_key`]?.description;
  const nichandle = described && /\(([a-z]{2,4}[0-9]{1,8}-ovh)\)/.exec(described)?.[1];
  return nichandle ? `the OVH account ${alias} (${nichandle})` : `the OVH account ${alias}`;
}

/** What the resource is, in the stack's own words: its construct path when the stack says it. */
function nameOf(stack: StackFacts | undefined, address: string): string {
  const [type, name] = address.split('.');
  const path = stack?.resource?.[type]?.[name]?.['//']?.metadata?.path;
  return path ? `${address} (${path})` : address;
}

interface KnownFailure {
  /** Matched on the block's summary and details together. */
  readonly pattern: RegExp;
  readonly advice: (block: ErrorBlock, match: RegExpExecArray, stack?: StackFacts) => string;
}

const KNOWN_FAILURES: KnownFailure[] = [
  {
    // ovh/order.go orderCreate: GET /me/payment/method?default=true is empty and the order costs something.
    pattern: /no default payment found/,
    advice: (block, _match, stack) =>
      `${accountOf(stack, block.address)} has no default payment method at OVH, so the order of ${block.address ?? 'a service'} ` +
      'was not placed and nothing was saved: add one to that account (OVH manager, Billing > Payment methods), then apply again.',
  },
  {
    // ovh/order.go waitOrderCompletion: a status other than checking, delivering or delivered ends the wait.
    pattern: /waiting for order \((\d+)\): unexpected state '(\w+)'/,
    advice: (block, match, stack) =>
      `OVH set order ${match[1]} of ${block.address ?? 'a service'} to "${match[2]}" instead of delivering it (its reason is on the ` +
      `order, in the OVH manager of ${accountOf(stack, block.address)}): nothing was saved in the state, so the next apply orders again.`,
  },
  {
    // Terraform: an import block whose object OVH no longer has (the state forgot the resource, by a refresh-only
    // apply or a new state, after the object was deleted at OVH).
    pattern: /Cannot import non-existent remote object/,
    advice: (block, _match, stack) => {
      const address = block.address ?? /import an existing object to "([^"]+)"/.exec(block.details)?.[1];
      const id = address && stack?.import?.find((entry) => entry.to === address)?.id;
      const what = address ? nameOf(stack, address) : 'a resource';
      return (
        `${what} is adopted by its OVH id${id ? ` (${id})` : ''}, which OVH no longer has: remove \`existing\` from its entry in the ` +
        'client file, and the next apply creates it anew (or give the id of the object that replaced it).'
      );
    },
  },
  {
    // ovh/resource_vps.go Create: the order was delivered but its detail named no VPS yet, so the state holds one
    // without a name, and every read of it fails.
    pattern: /error calling GET \/vps\/(\*|%2A)?\s*$|failed to retrieve service name/,
    advice: (block) => {
      const address = block.address ?? 'the VPS';
      return (
        `the state holds ${address} without the name OVH gave it, so every plan fails: in the stack's folder, ` +
        `\`terraform state rm '${address}'\`, then \`terraform import '${address}' <its name>\` with the VPS OVH delivered ` +
        '(vps-….vps.ovh.net, in the OVH manager, on the order the state names), and plan again.'
      );
    },
  },
  {
    // ovh/resource_vps.go Update: do_not_send_password is not read back after an update (the _gen.go MergeWith).
    pattern: /ovh_vps\.\S+.*do_not_send_password: was cty\.False, but now null/,
    advice: () =>
      'the VPS was changed at OVH as planned (its display name); v2.19.0 reports this once, after the first change of a VPS it ' +
      'ordered: apply again, and the plan is clean.',
  },
];

/** The advice for each known failure in terraform's output, in order; none for an output it does not know. */
export function adviceFor(output: string, stack?: StackFacts): string[] {
  return errorBlocks(output).flatMap((block) => {
    const text = `${block.summary} ${block.details}`;
    for (const failure of KNOWN_FAILURES) {
      const match = failure.pattern.exec(text);
      if (match) return [failure.advice(block, match, stack)];
    }
    return [];
  });
}

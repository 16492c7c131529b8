/**
 * Where a client's Public Cloud resources and backups live, by its size: a standard client's in the agency's shared
 * project ("YB Cloud") and backup space; a large client's in a project of its own, ordered through the cloud account,
 * credited by the agency, then handed over to the client.
 */

/** The agency's PayPal account that credits a large client's new Public Cloud project, before it is handed over. */
export const PROJECT_CREDIT = { amount: '10 EUR', paypal: 'paypal@yesbabylon.com' };

/** What the size rules read of a client file. */
export interface SizedClient {
  readonly size: 'standard' | 'large';
  readonly cloudProject?: object;
  readonly backups: readonly { readonly region?: string; readonly location?: 'backupSpace' | 'ownProject' }[];
}

/**
 * The options only a large client has (its own project, a bucket's region, a bucket in its own project), and a large
 * client's bucket left in the backup space, which has the space's region: each misplaced option, with its field path.
 */
export function sizeProblems(client: SizedClient): { path: (string | number)[]; message: string }[] {
  if (client.size === 'large') {
    return client.backups.flatMap((backup, i) =>
      backup.location === 'backupSpace' && backup.region
        ? [{ path: ['backups', i, 'region'], message: 'is the backup space’s own (agency.yaml backupSpace.region) for a bucket there: remove it' }]
        : [],
    );
  }
  const largeOnly = (path: (string | number)[]) => ({ path, message: 'is only for large clients (size: large); a standard client uses the shared YB Cloud project' });
  return [
    ...(client.cloudProject ? [largeOnly(['cloudProject'])] : []),
    ...client.backups.flatMap((backup, i) => [
      ...(backup.region ? [largeOnly(['backups', i, 'region'])] : []),
      ...(backup.location === 'ownProject' ? [largeOnly(['backups', i, 'location'])] : []),
    ]),
  ];
}

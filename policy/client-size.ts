/**
 * What a client's size allows in its file: a standard client's Public Cloud resources and backups live in the agency's
 * shared project and backup space, so the options of a project of its own are a large client's only
 * (`policy/public-cloud.ts` places them).
 */

/** What the size rules read of a client file. */
export interface SizedClient {
  readonly size: 'standard' | 'large';
  readonly cloudProject?: object;
  readonly backups: readonly { readonly region?: string; readonly location?: 'backupSpace' | 'ownProject' }[];
}

/** Where a client's bucket lives: where its entry says, else a standard client's in the backup space, a large one's in its own project. */
export function bucketLocation(
  size: SizedClient['size'],
  location: 'backupSpace' | 'ownProject' | undefined,
): 'backupSpace' | 'ownProject' {
  return location ?? (size === 'standard' ? 'backupSpace' : 'ownProject');
}

/**
 * The options only a large client has (its own project, a bucket's region, a bucket in its own project), and a large
 * client's bucket left in the backup space, which has the space's region: each misplaced option, with its field path.
 */
export function sizeProblems(client: SizedClient): { path: (string | number)[]; message: string }[] {
  if (client.size === 'large') {
    return client.backups.flatMap((backup, i) =>
      backup.location === 'backupSpace' && backup.region
        ? [
            {
              path: ['backups', i, 'region'],
              message: 'is the backup space’s own (agency.yaml backupSpace.region) for a bucket there: remove it',
            },
          ]
        : [],
    );
  }
  const largeOnly = (path: (string | number)[]) => ({
    path,
    message: 'is only for large clients (size: large); a standard client uses the shared YB Cloud project',
  });
  return [
    ...(client.cloudProject ? [largeOnly(['cloudProject'])] : []),
    ...client.backups.flatMap((backup, i) => [
      ...(backup.region ? [largeOnly(['backups', i, 'region'])] : []),
      ...(backup.location === 'ownProject' ? [largeOnly(['backups', i, 'location'])] : []),
    ]),
  ];
}

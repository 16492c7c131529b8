/**
 * What a client's size allows in its file: a standard client's Public Cloud resources and backups live in the agency's
 * shared project and backup space, so the options of a project of its own are a large client's only
 * (`policy/public-cloud.ts` places them), and what a large client's own project asks of the file. The loader checks
 * these rules with the file's schema (`config/load.ts`), which they are handed to by `policy/folder.ts`.
 */
import type { ClientRules } from '../config/load';

/** What the size rules read of a client file. */
export interface SizedClient {
  readonly size: 'standard' | 'large';
  readonly decommission: boolean;
  readonly cloudProject?: { readonly existing?: string; readonly deletionProtection: boolean };
  readonly backups: readonly {
    readonly existing: boolean;
    readonly region?: string;
    readonly location?: 'backupSpace' | 'ownProject';
  }[];
}

/** Where a client's bucket lives: where its entry says, else a standard client's in the backup space, a large one's in its own project. */
export function bucketLocation(
  size: SizedClient['size'],
  location: 'backupSpace' | 'ownProject' | undefined,
): 'backupSpace' | 'ownProject' {
  return location ?? (size === 'standard' ? 'backupSpace' : 'ownProject');
}

/**
 * The problems of a client file by its size, each with its field path: a bucket imported into a project being ordered;
 * the decommission of a project still protected; the options only a large client has (its own project, a bucket's
 * region, a bucket in its own project), and a large client's bucket left in the backup space, which has the space's
 * region.
 */
export const sizeProblems: ClientRules = (client: SizedClient) => [
  ...client.backups.flatMap((backup, i) =>
    // An import id must be known when planning: the project's id is, unless the project is being ordered.
    backup.existing && bucketLocation(client.size, backup.location) === 'ownProject' && !client.cloudProject?.existing
      ? [
          {
            path: ['backups', i, 'existing'],
            message: 'needs the client’s existing project id (cloudProject.existing) to import the bucket',
          },
        ]
      : [],
  ),
  // OVH terminates a project only once its protection is off in the state: two applies, so two reviewed steps.
  ...(client.size === 'large' && client.decommission && client.cloudProject?.deletionProtection !== false
    ? [
        {
          path: ['decommission'],
          message:
            'would terminate the client’s own Public Cloud project, which is protected from deletion: first set cloudProject.deletionProtection: false and apply that alone, then decommission in a later change',
        },
      ]
    : []),
  ...(client.size === 'large' ? largeClientProblems(client) : standardClientProblems(client)),
];

/** A large client's bucket kept in the backup space has the space's region. */
function largeClientProblems(client: SizedClient) {
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

/** What only a large client has. */
function standardClientProblems(client: SizedClient) {
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

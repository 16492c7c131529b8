import { stringify } from 'yaml';
import type { InstanceSettings } from '../policy/plan';
import { closeGitFolder } from '../policy/instances';

/**
 * The cloud-config of an instance: its packages (git too, when it has checkouts), then each git checkout, closed as
 * the procedure asks (`policy/instances.ts`).
 */
export function cloudConfig({ packages, checkouts }: Pick<InstanceSettings, 'packages' | 'checkouts'>): string {
  const installsGit = checkouts.length > 0 || packages.includes('git');
  const allPackages = installsGit && !packages.includes('git') ? ['git', ...packages] : packages;
  const runcmd = checkouts.flatMap(({ repository, path, ref }) => [
    ['mkdir', '-p', parentOf(path)],
    ['git', 'clone', ...(ref ? ['--branch', ref] : []), '--', repository, path],
    closeGitFolder(path),
  ]);
  const config = {
    ...(allPackages.length > 0 ? { package_update: true, packages: allPackages } : {}),
    ...(runcmd.length > 0 ? { runcmd } : {}),
  };
  return `#cloud-config\n${stringify(config)}`;
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

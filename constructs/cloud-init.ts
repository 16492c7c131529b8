import { stringify } from 'yaml';
import type { InstanceConfig } from '../config/schema';

/**
 * The cloud-config of an instance: its packages, then each git checkout. Whenever git is installed, every
 * checkout's `.git` is closed to other users (`chmod -R o-rx .git`), so the web server cannot serve it:
 * the procedure's rule, with no way to turn it off.
 */
export function cloudConfig({ packages, checkouts }: Pick<InstanceConfig, 'packages' | 'checkouts'>): string {
  const installsGit = checkouts.length > 0 || packages.includes('git');
  const allPackages = installsGit && !packages.includes('git') ? ['git', ...packages] : packages;
  const runcmd = checkouts.flatMap(({ repository, path, ref }) => [
    ['mkdir', '-p', parentOf(path)],
    ['git', 'clone', ...(ref ? ['--branch', ref] : []), '--', repository, path],
    ['chmod', '-R', 'o-rx', `${path}/.git`],
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

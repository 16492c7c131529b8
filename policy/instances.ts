/**
 * What the procedure asks of every Public Cloud instance it builds.
 */

/**
 * Every git checkout's `.git` is closed to other users, so that the web server, which runs as another user, cannot
 * serve the repository's history: the command that follows each clone, always, with no way to turn it off.
 */
export function closeGitFolder(checkoutPath: string): string[] {
  return ['chmod', '-R', 'o-rx', `${checkoutPath}/.git`];
}

/**
 * Validation links as OVH e-mails them: the manager's contacts page of the task, with the token in the query
 * (`.../useraccount/contacts/<id>?tab=REQUESTS&token=<token>`, the form github:ovh/manager's account contacts routes,
 * packages/manager/apps/dedicated/client/app/account/, still redirect for those e-mails). A file may hold whole e-mails:
 * every link in it is taken, in order.
 */
export interface ValidationLink {
  /** The link's place in the file, to name it without printing its token. */
  line: number;
  taskId: number;
  token: string;
}

const LINK = /\/contacts\/(\d+)\?[^\s"'<>]*?\btoken=([^&#\s"'<>]+)/g;

export function validationLinks(text: string): ValidationLink[] {
  return text
    .split('\n')
    .flatMap((content, index) =>
      [...content.matchAll(LINK)].map((match) => ({ line: index + 1, taskId: Number(match[1]), token: decoded(match[2]) })),
    );
}

function decoded(token: string): string {
  try {
    return decodeURIComponent(token);
  } catch {
    return token;
  }
}

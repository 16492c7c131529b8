/**
 * `[12/140] client-x: no changes`: a run over many stacks says where it is and what it found so far. The review
 * commands write these lines to standard error, apart from their results.
 */
export function progressLine(done: number, total: number, stack: string, status: string): string {
  return `[${done}/${total}] ${stack}: ${status}`;
}

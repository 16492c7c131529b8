/**
 * Who validates a contact change, and who is only told (OVH's contacts guide, updated 2025-04-28: github:ovh/docs at
 * 14ce7850, pages/account_and_service_management/account_information/managing_contacts/guide.en-gb.md):
 * - the admin naming a new tech or billing contact: the admin and the new contact validate; the old one is informed;
 * - the admin taking tech or billing back: the admin alone confirms; the old one is informed;
 * - the admin naming a new admin: the admin and the new one;
 * - the tech (or billing) contact handing over: itself and its successor.
 * In every case: the account that asked, and the new account when it is another one.
 */
import type { ContactChangeTask } from './ovh-api';

export interface ContactValidation {
  /** The accounts that must accept, each with the token OVH e-mails it. */
  validators: string[];
  /** Old holders that only receive an e-mail once it is done. */
  informed: string[];
}

export function validationOf(asker: string, to: string, from: string[]): ContactValidation {
  const validators = [...new Set([asker, to])];
  return { validators, informed: [...new Set(from)].filter((nichandle) => !validators.includes(nichandle)) };
}

/** A task's validators; a task without its asking account (OVH allows none) counts its old holder as the asker. */
export function taskValidation(task: ContactChangeTask): ContactValidation {
  return validationOf(task.askingAccount ?? task.fromAccount, task.toAccount, [task.fromAccount]);
}

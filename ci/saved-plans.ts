/**
 * A saved plan between the job that made it and the job that applies it: the plan file holds every value in plain
 * text (the OVH credentials among its variables, generated passwords), so it travels sealed with age to the
 * recipients of the apply credential store (the apply jobs' identity, and the engineers'). Loaded only when plans
 * are saved or applied: age-encryption is an ES module.
 */
import { Decrypter, Encrypter } from 'age-encryption';

export async function sealPlan(plan: Uint8Array, recipients: string[]): Promise<Uint8Array> {
  const encrypter = new Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(recipient);
  return encrypter.encrypt(plan);
}

/** The plan, or an error that names no value. */
export async function openPlan(sealed: Uint8Array, identity: string): Promise<Uint8Array> {
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  try {
    return await decrypter.decrypt(sealed);
  } catch {
    throw new Error("cannot be opened with this identity (OVH_IAC_AGE_IDENTITY: the apply store's)");
  }
}

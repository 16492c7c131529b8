import { TerraformOutput, TerraformStack, type ITerraformDependable, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { EmailDomainAccount } from '../.gen/providers/ovh/email-domain-account';
import { Password } from '../.gen/providers/random/password';
import { RandomProvider } from '../.gen/providers/random/provider';
import { MAILBOX_PASSWORDS_ID, mailboxPasswordId, mailboxPasswordsOutput } from '../policy/naming';

export interface MailboxesProps {
  /** The e-mail domain. */
  readonly domain: string;
  /** The mailboxes to create, each with its size in bytes (OVH's default when undefined). */
  readonly mailboxes: readonly { readonly account: string; readonly size?: number }[];
  /** The provider of the account that operates the e-mail offer. */
  readonly provider: TerraformProvider;
  /**
   * What the mailboxes wait for.
   * @default nothing
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The mailboxes of one e-mail domain. Each gets a random initial password, kept in the Terraform state only
 * (`terraform output -json mailbox_passwords_<domain>`); the mailbox owner changes it, and Terraform lets them.
 */
export class Mailboxes extends Construct {
  constructor(scope: Construct, id: string, props: MailboxesProps) {
    super(scope, id);
    const stack = TerraformStack.of(this);
    const random = (stack.node.tryFindChild('random') as RandomProvider | undefined) ?? new RandomProvider(stack, 'random');
    const passwords: Record<string, string> = {};
    for (const { account, size } of props.mailboxes) {
      const password = new Password(this, mailboxPasswordId(account), {
        provider: random,
        length: 24,
        special: false,
        minLower: 2,
        minUpper: 2,
        minNumeric: 2,
      });
      new EmailDomainAccount(this, account, {
        provider: props.provider,
        dependsOn: props.dependsOn,
        domain: props.domain,
        accountName: account,
        password: password.result,
        size,
        // The owner changes the password (the mail is theirs, protected: `Protection`).
        lifecycle: { ignoreChanges: ['password'] },
      });
      passwords[`${account}@${props.domain}`] = password.result;
    }
    const output = new TerraformOutput(this, MAILBOX_PASSWORDS_ID, {
      value: passwords,
      sensitive: true,
      description: `initial passwords of the ${props.domain} mailboxes`,
    });
    output.overrideLogicalId(mailboxPasswordsOutput(props.domain));
  }
}

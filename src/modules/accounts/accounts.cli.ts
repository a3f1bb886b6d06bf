import type { Command } from 'commander';
import { type CliServices, printResult } from '../../core/cli.ts';
import { readEnvironment } from '../../core/config.ts';
import { cliContext } from '../../core/context.ts';
import { AppError, invalidInput } from '../../core/errors.ts';
import { type Account, createAdmin, createOfficer, isTotpRequired, listAccounts } from './accounts.service.ts';
import { generatePassword } from './passwords.ts';
import { ACCOUNT_KINDS, type AccountKind, TOKEN_SCOPES } from './permissions.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './tokens.service.ts';

/**
 * `ecomgov accounts …`: the first administrator, officers, partner API tokens. Secrets never travel
 * on the command line (other users can read it in the process list): a password comes from standard
 * input (`--password-stdin`), a hidden prompt, or is generated and printed once.
 */
export function registerAccountsCli(program: Command, cli: CliServices): void {
  const accounts = program.command('accounts').description('accounts of officers and administrators, API tokens');

  accounts
    .command('create-admin')
    .description(
      'create an administrator (the first one, or another); it sets up two-step verification at first sign-in',
    )
    .requiredOption('--email <email>', 'e-mail address, the sign-in name')
    .option('--name <name>', 'display name')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (options: { email: string; name?: string; passwordStdin?: boolean }, command: Command) => {
      const { password, generated } = await obtainPassword(options.passwordStdin === true);
      const account = await cli.withDatabase(command, (database) =>
        createAdmin(database.db, cliContext(), { email: options.email, displayName: options.name, password }),
      );
      printCreated(cli.wantsJson(command), account, generated ? password : undefined);
    });

  accounts
    .command('create-officer')
    .description('create an officer of one of the Ministry’s units')
    .requiredOption('--email <email>', 'e-mail address, the sign-in name')
    .requiredOption('--unit <id>', 'unit id: idea, market_management, legal, inspectorate, …')
    .requiredOption('--role <role>', 'viewer, officer or head')
    .option('--name <name>', 'display name')
    .option('--password-stdin', 'read the password from standard input')
    .action(
      async (
        options: { email: string; unit: string; role: string; name?: string; passwordStdin?: boolean },
        command: Command,
      ) => {
        const { password, generated } = await obtainPassword(options.passwordStdin === true);
        const account = await cli.withDatabase(command, (database) =>
          createOfficer(database.db, cliContext(), {
            email: options.email,
            displayName: options.name,
            unitId: options.unit,
            role: options.role,
            password,
          }),
        );
        printCreated(cli.wantsJson(command), account, generated ? password : undefined);
      },
    );

  accounts
    .command('list')
    .description('list accounts')
    .option('--kind <kind>', `only one kind: ${ACCOUNT_KINDS.join(', ')}`)
    .action(async (options: { kind?: string }, command: Command) => {
      if (options.kind && !ACCOUNT_KINDS.includes(options.kind as AccountKind)) {
        throw invalidInput(
          {
            vi: `--kind phải là một trong: ${ACCOUNT_KINDS.join(', ')}`,
            en: `--kind must be one of ${ACCOUNT_KINDS.join(', ')}`,
          },
          '--kind',
        );
      }
      const list = await cli.withDatabase(command, (database) =>
        listAccounts(database.db, { kind: options.kind as AccountKind | undefined }),
      );
      printResult(cli.wantsJson(command), list, () =>
        list.length === 0
          ? 'no accounts'
          : list
              .map((account) =>
                [
                  account.id,
                  account.kind,
                  account.email,
                  account.kind === 'officer'
                    ? `${account.unit_id}/${account.role}`
                    : (account.organisation?.tax_code ?? ''),
                  account.is_active ? 'active' : 'disabled',
                ].join('\t'),
              )
              .join('\n'),
      );
    });

  const token = accounts.command('token').description('API tokens of partner systems');

  token
    .command('create')
    .description('issue a token; it is printed once and only its hash is stored')
    .requiredOption('--name <name>', 'the partner system, e.g. "Customs e-declarations"')
    .requiredOption(
      '--scope <scope>',
      `a scope (repeat for several): ${TOKEN_SCOPES.join(', ')}`,
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .requiredOption('--expires <date>', 'last day of validity, YYYY-MM-DD (Vietnam time)')
    .action(async (options: { name: string; scope: string[]; expires: string }, command: Command) => {
      const created = await cli.withDatabase(command, (database) =>
        createApiToken(database.db, cliContext(), {
          name: options.name,
          scopes: options.scope,
          expires: options.expires,
        }),
      );
      printResult(
        cli.wantsJson(command),
        { token: created.token, api_token: created.apiToken },
        () =>
          `${created.token}\n` +
          `(token ${created.apiToken.id} "${created.apiToken.name}", scopes ${created.apiToken.scopes.join(', ')}, ` +
          `valid until ${created.apiToken.expires_at}; store it now: it is not shown again)`,
      );
    });

  token
    .command('revoke')
    .description('revoke a token at once')
    .argument('<id>', 'the token’s id (see `accounts token list`)')
    .action(async (id: string, _options, command: Command) => {
      const revoked = await cli.withDatabase(command, (database) => revokeApiToken(database.db, cliContext(), id));
      printResult(cli.wantsJson(command), revoked, () => `token ${revoked.id} "${revoked.name}" revoked`);
    });

  token
    .command('list')
    .description('list tokens (never the tokens themselves)')
    .action(async (_options, command: Command) => {
      const list = await cli.withDatabase(command, (database) => listApiTokens(database.db));
      printResult(cli.wantsJson(command), list, () =>
        list.length === 0
          ? 'no tokens'
          : list
              .map((item) =>
                [item.id, `${item.prefix}…`, item.name, item.scopes.join(','), item.expires_at, item.status].join('\t'),
              )
              .join('\n'),
      );
    });
}

/**
 * What was created, the first password when it was generated, and whether the account must turn on two-step
 * verification at its first sign-in (REQUIRE_TOTP: administrators and heads of units unless configured otherwise).
 */
function printCreated(json: boolean, account: Account, generatedPassword: string | undefined): void {
  const mustEnrolTotp = isTotpRequired(account, readEnvironment().REQUIRE_TOTP);
  printResult(
    json,
    { account, must_enrol_totp: mustEnrolTotp, ...(generatedPassword ? { password: generatedPassword } : {}) },
    () =>
      [
        `created ${account.kind} ${account.email} (id ${account.id})`,
        ...(generatedPassword ? [`password (shown once, change it after signing in): ${generatedPassword}`] : []),
        ...(mustEnrolTotp
          ? [
              'two-step verification is required for this account (REQUIRE_TOTP): at the first sign-in it must set it up ' +
                'on the account page (/account#totp) with an authenticator app before it can do anything else',
            ]
          : []),
      ].join('\n'),
  );
}

async function obtainPassword(fromStdin: boolean): Promise<{ password: string; generated: boolean }> {
  if (fromStdin) {
    const password = (await readAll(process.stdin)).replace(/\r?\n$/, '');
    if (!password) {
      throw invalidInput(
        { vi: 'Không có mật khẩu trên đầu vào chuẩn', en: 'no password on standard input' },
        '--password-stdin',
      );
    }
    return { password, generated: false };
  }
  if (process.stdin.isTTY) {
    const password = await promptHidden('Password: ');
    if ((await promptHidden('Repeat the password: ')) !== password) {
      throw invalidInput({ vi: 'Hai mật khẩu không giống nhau', en: 'the two passwords differ' }, 'password');
    }
    return { password, generated: false };
  }
  return { password: generatePassword(), generated: true };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return text;
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          finish();
          resolve(value);
          return;
        }
        if (char === '\u0003' || char === '\u0004') {
          finish();
          reject(new AppError('invalid_input', { vi: 'Đã hủy', en: 'cancelled' }));
          return;
        }
        value = char === '\u007f' || char === '\b' ? [...value].slice(0, -1).join('') : value + char;
      }
    };
    stdin.on('data', onData);
  });
}

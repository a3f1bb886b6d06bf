import net from 'node:net';
import { Command, CommanderError, Option } from 'commander';
import { buildApp } from '../app.ts';
import { type CliServices, describeError, exitCodeFor, parseIntegerOption } from '../core/cli.ts';
import { checkServeExposure, chooseLogFormat, readEnvironment, resolveDataDir } from '../core/config.ts';
import type { Database } from '../core/db.ts';
import type { App } from '../core/http.ts';
import { startJobRunner } from '../core/jobs.ts';
import {
  accountsJobs,
  registerAccountsCli,
  registerAuditCli,
  registerOrganisationsCli,
} from '../modules/accounts/index.ts';
import { loadDemoAdvisories } from '../modules/advisories/index.ts';
import { createApplicationsJobs, DEFAULT_PORTAL_URL, registerApplicationsCli } from '../modules/applications/index.ts';
import { blockingJobs, registerBlockingCli } from '../modules/blocking/index.ts';
import { registerBlocklistCli } from '../modules/blocklist/index.ts';
import { registerCalendarCli } from '../modules/calendar/index.ts';
import { createCasesJobs, registerCasesCli } from '../modules/cases/index.ts';
import { registerCheckCli } from '../modules/check/index.ts';
import { complaintsJobs, registerComplaintsCli } from '../modules/complaints/index.ts';
import { registerDeclarationsCli } from '../modules/declarations/index.ts';
import { createDirectiveJobs, loadDemoDirectives, registerDirectiveCli } from '../modules/directives/index.ts';
import { defaultEvidenceDir, registerEvidenceCli } from '../modules/evidence/index.ts';
import { createMonitorJobs, registerMonitorCli } from '../modules/monitor/index.ts';
import { registerProceduresCli } from '../modules/procedures/index.ts';
import { recordOffersOfPage, registerPromotionsCli } from '../modules/promotions/index.ts';
import { loadDemoRegistry, registerRegistryCli } from '../modules/registry/index.ts';
import { registerTransparencyCli } from '../modules/transparency/index.ts';
import { openMigratedDatabase } from '../runtime.ts';

interface GlobalOptions {
  data?: string;
  json?: boolean;
}

function globals(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

const services: CliServices = {
  async withDatabase(command, use) {
    const env = readEnvironment();
    const database = await openMigratedDatabase({
      dataDir: resolveDataDir(globals(command).data),
      databaseUrl: env.DATABASE_URL,
    });
    try {
      return await use(database);
    } finally {
      await database.close();
    }
  },
  wantsJson: (command) => globals(command).json === true,
};

function buildProgram(): Command {
  const program = new Command('ecomgov')
    .description('ecomgov: the register of e-commerce platforms, the public check, and the regulator’s workbench')
    .addOption(
      new Option('--data <dir>', 'embedded database folder (ignored when DATABASE_URL is set)').default(
        undefined,
        './.ecomgov-data',
      ),
    )
    .option('--json', 'print one JSON document on stdout')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('serve')
    .description('serve the web app and API, with in-process workers; loads demo data into an empty database')
    .option('--port <port>', 'port (env PORT, default 3000)', parseIntegerOption('--port', 0, 65535))
    .option('--host <host>', 'address to listen on (env HOST, default 127.0.0.1)')
    .option('--no-demo', 'do not load demo data into an empty database')
    .option('--insecure', 'serve other machines without an https PORTAL_URL (a lab: sign-in cookies are not Secure)')
    .action(async (options: ServeOptions, command: Command) => {
      await serve(command, options);
    });

  registerRegistryCli(program, services);
  registerCheckCli(program, services);
  registerDirectiveCli(program, services);
  registerAccountsCli(program, services);
  registerAuditCli(program, services);
  registerOrganisationsCli(program, services);
  registerApplicationsCli(program, services);
  registerCalendarCli(program, services);
  registerProceduresCli(program, services);
  registerPromotionsCli(program, services);
  registerBlocklistCli(program, services);
  registerBlockingCli(program, services);
  registerComplaintsCli(program, services);
  registerEvidenceCli(program, services);
  registerTransparencyCli(program, services);
  registerCasesCli(program, services);
  // The monitor's scans record the prices the pages show (issue 14's price history).
  registerMonitorCli(program, services, { pageObservers: [recordOffersOfPage] });
  registerDeclarationsCli(program, services);
  return program;
}

interface ServeOptions {
  port?: number;
  host?: string;
  demo: boolean;
  insecure?: boolean;
}

/** Where a person opens the app: the listening address (`localhost` for a wildcard host), with PORTAL_URL. */
function addressToOpen(app: App, host: string, portalUrl: string | undefined): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : '';
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : net.isIPv6(host) ? `[${host}]` : host;
  const local = `http://${shown}:${port}/`;
  return portalUrl ? `${local} (public address ${portalUrl})` : local;
}

async function serve(command: Command, options: ServeOptions): Promise<void> {
  const env = readEnvironment();
  const port = options.port ?? env.PORT;
  const host = options.host ?? env.HOST;
  // Before the database opens: a refusal costs nothing.
  const exposedWithoutHttps = checkServeExposure(host, env.PORTAL_URL, options.insecure === true);
  const database: Database = await openMigratedDatabase({
    dataDir: resolveDataDir(globals(command).data),
    databaseUrl: env.DATABASE_URL,
  });
  const demoLoaded = options.demo ? await loadDemoRegistry(database) : 0;
  const demoDirectives = options.demo ? await loadDemoDirectives(database) : 0;
  const demoAdvisories = options.demo ? await loadDemoAdvisories(database) : 0;
  const built = await buildApp(database, {
    ...env,
    FEED_SIGNING_KEY_DIR: env.FEED_SIGNING_KEY_DIR ?? resolveDataDir(globals(command).data),
    EVIDENCE_DIR: env.EVIDENCE_DIR ?? defaultEvidenceDir(resolveDataDir(globals(command).data)),
    LOG_FORMAT: chooseLogFormat(env.LOG_FORMAT, process.stdout.isTTY === true),
  });
  if (exposedWithoutHttps) {
    built.app.log.warn(
      { host, portal_url: env.PORTAL_URL ?? null },
      `--insecure: serving ${host} without an https PORTAL_URL; sign-in cookies are not Secure. For a lab only.`,
    );
  }
  const jobs = await startJobRunner(
    database,
    [
      ...accountsJobs,
      ...blockingJobs,
      ...complaintsJobs,
      ...createMonitorJobs({
        storeDir: env.EVIDENCE_DIR ?? defaultEvidenceDir(resolveDataDir(globals(command).data)),
        portalUrl: env.PORTAL_URL ?? DEFAULT_PORTAL_URL,
        allowPrivate: env.MONITOR_ALLOW_PRIVATE,
        staleMinutes: env.MONITOR_SCAN_STALE_MINUTES,
        pageObservers: [recordOffersOfPage],
      }),
      ...createApplicationsJobs({ ...env, log: built.app.log }),
      ...createDirectiveJobs({ ...env, log: built.app.log }),
      ...createCasesJobs({ portalUrl: env.PORTAL_URL ?? DEFAULT_PORTAL_URL }),
    ],
    built.app.log,
  );
  await built.app.listen({ port, host });
  if (demoLoaded > 0) built.app.log.info({ platforms: demoLoaded }, 'demo register loaded into the empty database');
  if (demoDirectives > 0) built.app.log.info({ directives: demoDirectives }, 'demo directive (Dispatch 8598) loaded');
  if (demoAdvisories > 0) built.app.log.info({ advisories: demoAdvisories }, 'demo advisories (sample data) loaded');
  const url = addressToOpen(built.app, host, env.PORTAL_URL);
  built.app.log.info({ database: database.kind }, `ecomgov is serving: open ${url}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    built.app.log.info({ signal }, 'shutting down');
    await built.app.close();
    await built.stop();
    await jobs.stop();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version requests end here too, with code 0.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(`${describeError(error)}\n`);
    process.exitCode = exitCodeFor(error);
  }
}

await main(process.argv);

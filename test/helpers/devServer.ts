import { type DevServerOptions, freePort } from '../../src/temporal/devServer';
import { provisionDevServer } from '../../src/temporal/provision';

/**
 * The Temporal CLI that `npm test` provisioned before the tests ran (or `TEMPORAL_CLI_PATH`). Tests never build or
 * download it themselves: without one, they fail at once with what to run.
 */
export async function provisionedCliPath(): Promise<string> {
  const cli = await provisionDevServer({ log: () => {}, allowSdkDownload: false });
  if (!cli.path) throw new Error('the Temporal CLI is not provisioned; run `npm run provision`');
  return cli.path;
}

/** How tests start a dev server: headless, on a free loopback port, in the default namespace, its state in memory. */
export async function inMemoryDevServerOptions(cliPath: string, more: Partial<DevServerOptions> = {}): Promise<DevServerOptions> {
  return {
    cliPath,
    ip: '127.0.0.1',
    port: await freePort(),
    uiPort: null,
    namespace: 'default',
    dbFile: null,
    logFile: null,
    ...more,
  };
}

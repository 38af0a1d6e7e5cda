import { type DevServerOptions, freePort } from '../../src/temporal/devServer';

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

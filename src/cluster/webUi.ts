/**
 * The cluster shape's Temporal Web UI (`github.com/temporalio/ui-server/v2`, the server the CLI embeds), configured
 * as docker-compose.yml configures the `temporalio/ui` image: payloads decoded through the app's codec endpoint
 * with the session cookie from its login page.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { DATA_DIR_MODE, DATA_FILE_MODE } from '../dataDir';
import { ServiceProcess } from './serviceProcess';

/** How to start the UI. */
export interface WebUiOptions {
  binary: string;
  ip: string;
  port: number;
  temporalAddress: string;
  namespace: string;
  /** The app's codec endpoint (`…/codec`); its login page is `…/codec/login`. */
  codecEndpoint: string;
  /** The API's origin, allowed to call the UI server. */
  apiOrigin: string;
  /** Holds `ui/config/production.yaml` and `temporal-ui.log`. */
  dir: string;
}

/** The UI server's config file. */
export function webUiConfig(options: WebUiOptions): string {
  return YAML.stringify({
    temporalGrpcAddress: options.temporalAddress,
    host: options.ip,
    port: options.port,
    enableUi: true,
    defaultNamespace: options.namespace,
    cors: { allowOrigins: [options.apiOrigin], cookieInsecure: true },
    codec: {
      endpoint: options.codecEndpoint,
      includeCredentials: true,
      defaultErrorMessage: 'Sign in to decode Handoff payloads',
      defaultErrorLink: `${options.codecEndpoint}/login`,
    },
    notifyOnNewVersion: false,
  });
}

/** Writes the config and starts the UI server; resolves once it serves its page. */
export async function startWebUi(options: WebUiOptions): Promise<ServiceProcess> {
  const configDir = path.join(options.dir, 'ui', 'config');
  mkdirSync(configDir, { recursive: true, mode: DATA_DIR_MODE });
  writeFileSync(path.join(configDir, 'production.yaml'), webUiConfig(options), { mode: DATA_FILE_MODE });
  const url = `http://${options.ip}:${options.port}/`;
  return ServiceProcess.start({
    name: 'Temporal Web UI',
    command: options.binary,
    args: ['--root', path.join(options.dir, 'ui'), '--config', 'config', '--env', 'production', 'start'],
    logFile: path.join(options.dir, 'temporal-ui.log'),
    async ready() {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    },
  });
}

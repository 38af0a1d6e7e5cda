/**
 * What `handoff start` says about the generated admin key. Container and service logs are kept, shipped and read
 * by more people than the operator, so the key itself is printed only on an interactive terminal outside a
 * container; anywhere else the line says where the key file is (readable by its owner only).
 */
import { existsSync } from 'node:fs';

/** Where the process is running, as far as printing a secret goes. */
export interface Terminal {
  /** stdout is an interactive terminal. */
  isTTY: boolean;
  /** The process runs in a container (Docker, Podman). */
  inContainer: boolean;
}

/** This process's terminal: `process.stdout.isTTY`, and the marker files Docker and Podman create. */
export function currentTerminal(): Terminal {
  return { isTTY: process.stdout.isTTY === true, inContainer: existsSync('/.dockerenv') || existsSync('/run/.containerenv') };
}

/** The start-up line about the generated key `token` kept in `file`. */
export function apiKeyNotice(token: string, file: string, where: Terminal): string {
  const hint = 'admin; configure api.keys to replace it';
  if (where.isTTY && !where.inContainer) return `${token}  (${hint}; kept in ${file})`;
  return `kept in ${file}  (${hint}; not printed where the output may be logged)`;
}

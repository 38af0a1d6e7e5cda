/** The gRPC status codes Handoff tells apart in the Temporal services' errors (numbers from the gRPC spec). */
export const GrpcStatus = {
  /** A namespace, workflow or run the server does not know. */
  NOT_FOUND: 5,
  /** Registering a namespace that is already there. */
  ALREADY_EXISTS: 6,
  /** A namespace these credentials may not use (Temporal Cloud). */
  PERMISSION_DENIED: 7,
} as const;

/** The gRPC status code an error carries, if any. */
export function grpcCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

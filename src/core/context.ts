/**
 * Who is acting and on which request. Every write takes one, so history and (later) the audit trail
 * can say who, when and from where.
 */
export interface ActorContext {
  /** 'cli:<os user>', 'system:demo-data', 'user:<id>', … */
  actor: string;
  requestId?: string | undefined;
  ip?: string | undefined;
}

export function cliContext(): ActorContext {
  return { actor: `cli:${process.env.USER ?? process.env.LOGNAME ?? 'unknown'}` };
}

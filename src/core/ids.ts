const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in URLs are UUIDs; anything else is answered "not found" before it reaches a uuid column (which would throw). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A note for whoever debugs capifleet, shown only when CAPIFLEET_DEBUG is set. */
export function printDebug(message: string): void {
  if (process.env.CAPIFLEET_DEBUG) process.stderr.write(`capifleet: debug: ${message}\n`);
}

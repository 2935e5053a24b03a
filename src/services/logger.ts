/** Structured logger port (pino satisfies it). */
export interface Logger {
  /** Optional: chatter such as probe and scrape requests; dropped where the logger has no debug level. */
  debug?(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

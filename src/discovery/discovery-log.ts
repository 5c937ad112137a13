/** How discovery reports what it does; rankd's server log has this shape. */
export type DiscoveryLog = (msg: string, fields?: Record<string, unknown>) => void;

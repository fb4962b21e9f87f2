const HIDDEN = '\u0000';

/** What an address can look like in a dependency's health detail or error message. */
const ADDRESS_PATTERNS: RegExp[] = [
  // URLs (redis://:***@host:6379, http://10.0.0.5:8000/…), without a trailing ':' or '.'
  /\b[a-z][a-z0-9+.-]*:\/\/[^\s,;)]*[^\s,;):.]/gi,
  // [IPv6]:port
  /\[[0-9a-f:.]+\](?::\d{1,5})?/gi,
  // IPv6 (::1, fe80::1, 2001:db8::5), before host:port, which would take its last group
  /(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])/gi,
  // host:port (localhost:9092, kafka-1.internal:9092, 127.0.0.1:6379)
  /\b[a-z0-9][a-z0-9.-]*:\d{1,5}\b/gi,
  // IPv4
  /\b\d{1,3}(?:\.\d{1,3}){3}\b/g,
  // a host name after a resolver error (getaddrinfo ENOTFOUND redis.internal)
  /(?<=\b(?:ENOTFOUND|EAI_AGAIN|EAI_NONAME)\s)[^\s,;:]+/g,
  // dotted host names (cache.abc123.use1.cache.amazonaws.com, redis.internal)
  /\b(?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*[a-z]\b/gi,
];

/**
 * A dependency's health detail without the addresses in it (URLs, host:port, IP addresses,
 * host names), for answers that leave the process: `/health/ready` names what is down and why
 * in words, and the full detail goes to the log only. "cannot reach Kafka at k1:9092,k2:9092:
 * connect ECONNREFUSED 10.0.0.5:9092" becomes "cannot reach Kafka: connect ECONNREFUSED".
 */
export function withoutAddresses(detail: string): string {
  let text = detail;
  for (const pattern of ADDRESS_PATTERNS) text = text.replace(pattern, HIDDEN);
  return (
    text
      // a list of addresses is one
      .replace(new RegExp(`${HIDDEN}(?:\\s*,?\\s*${HIDDEN})+`, 'g'), HIDDEN)
      // "at <address>", "for <address>", or an error code's address: dropped with it
      .replace(new RegExp(`\\s+(?:at|for|to|from|on)\\s+${HIDDEN}`, 'gi'), '')
      .replace(new RegExp(`\\b(E[A-Z_]+)\\s+${HIDDEN}`, 'g'), '$1')
      .replace(new RegExp(HIDDEN, 'g'), '(address hidden)')
      .replace(/\s{2,}/g, ' ')
      .trim()
  );
}

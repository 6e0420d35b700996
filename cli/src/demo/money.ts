// Money as integer cents, so the demo's sums are exact (2 x 29.99 + 49.99 is 109.97, not 109.97000000000001).

/** Parses a decimal amount such as 109.97 or "109.97" into cents; rejects more than two decimals. */
export function toCents(amount: number | string): number {
  // String(), not toFixed(): a float error such as 109.97000000000001 must be caught, not rounded away.
  const text = String(amount);
  const match = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) throw new Error(`not an amount with at most two decimals: ${text}`);
  const cents = Number(match[2]) * 100 + Number((match[3] ?? "").padEnd(2, "0"));
  return match[1] ? -cents : cents;
}

export function formatCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** A finding's policy status and the rule that decided it (no rule: the pack's default status). */
export function PolicyBadge({ status, rule }: { status: string; rule: string | null }) {
  const cls = status === 'blocked' ? 'verdict-bad' : status === 'warn' ? 'badge' : 'verdict-ok';
  return (
    <span className={`badge ${cls}`} title={rule ? `decided by rule ${rule}` : 'no rule matched: the default status'}>
      {status}
      {rule ? <span className="muted"> · {rule}</span> : null}
    </span>
  );
}

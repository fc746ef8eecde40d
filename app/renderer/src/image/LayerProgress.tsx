/** Per-layer progress of an image scan: each layer the job reported, by index and digest, with its state. */
import type { JobProgressItem } from '../../../common/contract';
import { shortDigest } from '../common/ErrorBox';

const STATE_LABEL: Record<JobProgressItem['state'], string> = { queued: 'waiting', running: 'analyzing…', done: 'analyzed', cached: 'from cache (verified)' };

export function LayerProgress({ items }: { items: readonly (JobProgressItem | undefined)[] }) {
  const known = items.filter((i): i is JobProgressItem => i !== undefined);
  if (known.length === 0) return null;
  const finished = known.filter((i) => i.state === 'done' || i.state === 'cached').length;
  return (
    <ol className="layer-progress" aria-label={`Layers: ${finished} of ${known.length} finished`} data-testid="layer-progress">
      {known.map((i) => (
        <li key={i.index} data-state={i.state} data-testid="layer-progress-item">
          <span className="mono" title={i.id}>
            Layer {i.index + 1}
            {i.id ? ` ${shortDigest(i.id)}` : ''}
          </span>{' '}
          <span className={`layer-state layer-${i.state}`}>{STATE_LABEL[i.state]}</span>
        </li>
      ))}
    </ol>
  );
}

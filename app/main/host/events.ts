/** A typed event bus for the contract's event streams; transports (IPC, WebSocket) subscribe with `onAny`. */
import type { EventName, EventPayloads } from '../../common/contract';

export type AnyEventHandler = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

export class EventBus {
  private readonly handlers = new Map<EventName, Set<(p: unknown) => void>>();
  private readonly anyHandlers = new Set<AnyEventHandler>();

  on<E extends EventName>(event: E, handler: (payload: EventPayloads[E]) => void): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    const h = handler as (p: unknown) => void;
    set.add(h);
    return () => set.delete(h);
  }

  onAny(handler: AnyEventHandler): () => void {
    this.anyHandlers.add(handler);
    return () => this.anyHandlers.delete(handler);
  }

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    // A failing subscriber (e.g. a closed socket) must not stop delivery to the others.
    for (const h of this.handlers.get(event) ?? []) {
      try {
        h(payload);
      } catch {
        /* ignored by design */
      }
    }
    for (const h of this.anyHandlers) {
      try {
        h(event, payload);
      } catch {
        /* ignored by design */
      }
    }
  }

  get listenerCount(): number {
    return [...this.handlers.values()].reduce((n, s) => n + s.size, 0) + this.anyHandlers.size;
  }
}

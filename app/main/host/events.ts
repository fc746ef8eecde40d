/** A typed event bus for the contract's event streams; transports (IPC, WebSocket) subscribe with `onAny`. */
import { conformanceProblems, eventSchemas, type EventName, type EventPayloads } from '../../common/contract';
import { BOUNDARY_CHECKS } from '../../workers/protocol';

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
    // Development and test builds: a payload that does not match the contract never reaches a transport;
    // the emitter gets the error (a finished job then reports itself failed with this message).
    if (BOUNDARY_CHECKS) {
      const problems = conformanceProblems(eventSchemas[event], payload);
      if (problems.length) throw new Error(`the ${event} event does not match the contract: ${problems.join('; ')}`);
    }
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

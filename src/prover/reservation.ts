// Capacity held for one job between the pipeline's capacity check and the
// job reaching its runner: taken before the keeper signs (a round trip during
// which other requests run), consumed when the job is queued, or given back.

/** One job's place in a runner: `release` gives it back (idempotent; a no-op once the job was queued with it). */
export interface CapacityReservation {
  release(): void;
}

/** A runner's outstanding reservations: they count against its capacity until consumed or released. */
export class Reservations {
  readonly #held = new Set<CapacityReservation>();

  get count(): number {
    return this.#held.size;
  }

  take(): CapacityReservation {
    const reservation: CapacityReservation = { release: () => void this.#held.delete(reservation) };
    this.#held.add(reservation);
    return reservation;
  }

  /** True when `reservation` was held here: it is used up now, and the job takes its place. */
  consume(reservation: CapacityReservation | undefined): boolean {
    return reservation !== undefined && this.#held.delete(reservation);
  }
}

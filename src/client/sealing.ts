// The client's side of sealed inputs (docs/sealed-inputs.md): a request's
// `inputs` replaced by `sealedInputs`, sealed to a key the caller gives or to
// the current epoch's (GET /v1/epoch, kept until the service says it
// rotated). The construction itself is the shared leaf, src/sealing.
import { sealInputs, type SealingKey } from "../sealing/index.js";
import { DouradaClientError } from "./client-error.js";
import type { Epoch, ProveRequest } from "./types.js";

/** `true`: seal to the current epoch's key (fetched once, fetched again after a rotation); or the key to seal to. */
export type SealOption = boolean | SealingKey;

/** The sealing key an epoch publishes. */
export const sealingKeyOf = (epoch: Epoch): SealingKey => ({ epoch: epoch.id, publicKey: epoch.sealing.publicKey });

/** The service refused a sealed request only because it was sealed to an epoch that is no longer current. */
const sealedToOldEpoch = (e: unknown) => e instanceof DouradaClientError && e.code === "epoch-rotated" && e.problem?.pointer === "/sealedInputs/epoch";

function sealed<R extends Omit<ProveRequest, "mode">>(request: R, key: SealingKey): R {
  const { inputs, ...rest } = request;
  if (inputs === undefined || rest.sealedInputs !== undefined) throw new TypeError("seal: the request must carry plain `inputs` (and no `sealedInputs`) for the client to seal");
  return { ...rest, sealedInputs: sealInputs(key, request.circuit, inputs) } as R;
}

export interface Sealer {
  /** Sends `request` through `send`, sealed as `option` says; with `true`, once more with a fresh key if the epoch rotated in between. */
  send<R extends Omit<ProveRequest, "mode">, T>(request: R, option: SealOption | undefined, send: (request: R) => Promise<T>): Promise<T>;
}

/** `readEpoch` is shared by concurrent calls, so it takes no caller's signal: one caller's abort must not fail another's call. */
export function createSealer(readEpoch: () => Promise<Epoch>): Sealer {
  let known: Promise<SealingKey> | null = null;
  const currentKey = (): Promise<SealingKey> => {
    if (!known) {
      const reading = readEpoch().then(sealingKeyOf);
      known = reading;
      reading.catch(() => {
        if (known === reading) known = null; // a failed read is not kept
      });
    }
    return known;
  };
  return {
    async send(request, option, send) {
      if (!option) return send(request);
      if (option !== true) return send(sealed(request, option));
      const reading = currentKey();
      try {
        return await send(sealed(request, await reading));
      } catch (e) {
        if (!sealedToOldEpoch(e)) throw e;
        // Refused before anything was signed: safe to send once more, sealed to the new epoch.
        if (known === reading) known = null;
        return send(sealed(request, await currentKey()));
      }
    },
  };
}

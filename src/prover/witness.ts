// Witness generation with the circom runtime, one compiled calculator per
// circuit kept for the life of the thread (compiling the wasm is the slow part).
import { WitnessCalculatorBuilder, type WitnessCalculator } from "circom_runtime";
import { DouradaError, type ProblemExtras } from "../errors.js";
import type { CircuitInputs } from "../circuits/index.js";

export class WitnessCache {
  private readonly calculators = new Map<string, Promise<WitnessCalculator>>();

  calculator(circuitId: string, wasm: Uint8Array): Promise<WitnessCalculator> {
    let calculator = this.calculators.get(circuitId);
    if (!calculator) {
      calculator = WitnessCalculatorBuilder(wasm);
      this.calculators.set(circuitId, calculator);
    }
    return calculator;
  }

  /**
   * The .wtns bytes for canonical inputs. A failed assertion in the circuit
   * becomes `constraint-unsatisfied`; the calculator stays usable.
   */
  async compute(circuitId: string, wasm: Uint8Array, inputs: CircuitInputs): Promise<Uint8Array> {
    const calculator = await this.calculator(circuitId, wasm);
    try {
      return await calculator.calculateWTNSBin(inputs, true);
    } catch (e) {
      // Only the template name and line are taken from the runtime's message
      // (circuit code, public); the rest of it stays out of the response.
      const where = /Error in template ([A-Za-z0-9_]{1,64}) line: (\d{1,9})/.exec(String((e as Error)?.message));
      const report: ProblemExtras = where ? { template: where[1]!, line: Number(where[2]) } : {};
      throw new DouradaError("constraint-unsatisfied", `the inputs do not satisfy the constraints of circuit ${circuitId}`, report);
    }
  }
}

pragma circom 2.1.0;

// range: proves min <= value <= max over 64 bits and commits to value.
// Public signals (snarkjs order: outputs, then public inputs as declared):
//   commitment, anchor, min, max
include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/bitify.circom";

template Range(n) {
    signal input value;   // private
    signal input salt;    // private
    signal input anchor;  // public: the ML-DSA anchor of the request
    signal input min;     // public
    signal input max;     // public
    signal output commitment;

    // LessEqThan(n) is only sound for n-bit operands: bound all three first,
    // so a value above 2^64 cannot wrap into the range.
    component valueBits = Num2Bits(n);
    valueBits.in <== value;
    component minBits = Num2Bits(n);
    minBits.in <== min;
    component maxBits = Num2Bits(n);
    maxBits.in <== max;

    component aboveMin = LessEqThan(n);
    aboveMin.in[0] <== min;
    aboveMin.in[1] <== value;
    aboveMin.out === 1;

    component belowMax = LessEqThan(n);
    belowMax.in[0] <== value;
    belowMax.in[1] <== max;
    belowMax.out === 1;

    component hash = Poseidon(2);
    hash.inputs[0] <== value;
    hash.inputs[1] <== salt;
    commitment <== hash.out;

    // A public input that appears in no constraint could be swapped after
    // proving; squaring it puts it into the proof's equations.
    signal anchorSquare;
    anchorSquare <== anchor * anchor;
}

component main {public [anchor, min, max]} = Range(64);

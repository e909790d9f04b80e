pragma circom 2.1.0;

// A Poseidon chain for benchmarks (native-prover.md section 4.4): s_0 = in,
// s_i = Poseidon(2)(s_{i-1}, salt), out = s_n. At --O2 each link is 240
// constraints, so n = 68 and n = 272 land just under 2^14 and 2^16 rows.
// Included by chain68.circom and chain272.circom; setup's stamp hashes those
// files, not this one: after editing it, run `npm run bench:setup -- --force`.
include "circomlib/circuits/poseidon.circom";

template PoseidonChain(n) {
    signal input in;      // private
    signal input salt;    // private
    signal input anchor;  // public: the ML-DSA anchor of the request
    signal output out;

    signal s[n + 1];
    component links[n];
    s[0] <== in;
    for (var i = 0; i < n; i++) {
        links[i] = Poseidon(2);
        links[i].inputs[0] <== s[i];
        links[i].inputs[1] <== salt;
        s[i + 1] <== links[i].out;
    }
    out <== s[n];

    // Like every dourada circuit: the anchor enters a constraint, so it cannot be swapped after proving.
    signal anchorSquare;
    anchorSquare <== anchor * anchor;
}

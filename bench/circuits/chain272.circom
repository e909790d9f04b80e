pragma circom 2.1.0;

// The Poseidon chain of 272 links (see chain.circom).
include "chain.circom";

component main {public [anchor]} = PoseidonChain(272);

pragma circom 2.1.0;

// credential: an issuer signed Poseidon(subject, attribute) with EdDSA over
// BabyJubJub (circomlib's EdDSAPoseidonVerifier); proves attribute >= threshold
// without revealing the attribute, the subject or the signature.
// A holder can pass the credential on: bind subject to the holder in your own
// circuit if that matters. Public signals (snarkjs order): issuerAx, issuerAy, threshold, anchor
include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/eddsaposeidon.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/bitify.circom";

template Credential(n) {
    signal input attribute;   // private: the signed value, below 2^n
    signal input subject;     // private: whom the issuer signed it for
    signal input R8x;         // private: the issuer's signature (R8, S)
    signal input R8y;
    signal input S;
    signal input issuerAx;    // public: the issuer's BabyJubJub public key
    signal input issuerAy;
    signal input threshold;   // public: the predicate is attribute >= threshold
    signal input anchor;      // public: the ML-DSA anchor of the request

    // GreaterEqThan(n) is only sound for n-bit operands.
    component attributeBits = Num2Bits(n);
    attributeBits.in <== attribute;
    component thresholdBits = Num2Bits(n);
    thresholdBits.in <== threshold;
    component predicate = GreaterEqThan(n);
    predicate.in[0] <== attribute;
    predicate.in[1] <== threshold;
    predicate.out === 1;

    component message = Poseidon(2);
    message.inputs[0] <== subject;
    message.inputs[1] <== attribute;

    component signature = EdDSAPoseidonVerifier();
    signature.enabled <== 1;
    signature.Ax <== issuerAx;
    signature.Ay <== issuerAy;
    signature.R8x <== R8x;
    signature.R8y <== R8y;
    signature.S <== S;
    signature.M <== message.out;

    signal anchorSquare;
    anchorSquare <== anchor * anchor;
}

component main {public [issuerAx, issuerAy, threshold, anchor]} = Credential(64);

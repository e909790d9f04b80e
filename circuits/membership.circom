pragma circom 2.1.0;

// membership: proves that a private leaf is in a Poseidon Merkle tree of
// depth 16 with a public root. Public signals (snarkjs order): root, anchor
include "circomlib/circuits/poseidon.circom";

template Membership(depth) {
    signal input leaf;                 // private
    signal input pathElements[depth];  // private: sibling at each level
    signal input pathIndices[depth];   // private: 1 when the node is the right child
    signal input root;                 // public
    signal input anchor;               // public: the ML-DSA anchor of the request

    signal node[depth + 1];
    signal left[depth];
    signal right[depth];
    component hashers[depth];

    node[0] <== leaf;
    for (var i = 0; i < depth; i++) {
        // Each index must be a bit, or the mux below selects garbage.
        pathIndices[i] * (1 - pathIndices[i]) === 0;
        left[i] <== node[i] + pathIndices[i] * (pathElements[i] - node[i]);
        right[i] <== pathElements[i] + pathIndices[i] * (node[i] - pathElements[i]);
        hashers[i] = Poseidon(2);
        hashers[i].inputs[0] <== left[i];
        hashers[i].inputs[1] <== right[i];
        node[i + 1] <== hashers[i].out;
    }
    root === node[depth];

    signal anchorSquare;
    anchorSquare <== anchor * anchor;
}

component main {public [root, anchor]} = Membership(16);

// Package hypcd is the HypCD ("Hyperbolic Category Discovery", CVPR 2025)
// transaction classifier: it implements ports.Trainer with gomlx on its
// pure-Go simplego backend and ports.Model with a hand-written pure-Go
// forward pass over the trained weights.
//
// A transaction is featurized into hashed tokens (words, word bigrams and
// character trigrams of its cleaned text, payment channel, amount bucket and
// sign, day of month), embedded (mean of token embeddings, two-layer MLP),
// clipped and mapped into the Poincaré ball by the exponential map, and
// classified by a softmax over negative hyperbolic distances to one
// prototype per category. Training mixes cross-entropy on labelled items
// with the paper's hybrid distance/angle InfoNCE and SupCon losses and, when
// unlabelled items are given, self-distillation with spare prototypes for
// the categories nobody labelled. In transductive training new categories
// are discovered among payees (MerchantKey): the payees that recur among
// the unlabelled items but never among the labelled ones, or most of whose
// items fit no known category, are clustered by weighted k-means over their
// words, mean ball point, amount range and merchant type (the ISO 18245
// merchant-category groups their words point to, mcc.go, and those of the
// well-known brands they name, brands.txt), the number of clusters
// estimated by the eigengap of their affinity (self-tuning spectral
// clustering).
// Discover on new data runs hyperbolic k-means over the items that fit no
// known category, with the number of clusters chosen by silhouette (or the
// payee discovery when Config.PayeeDiscovery is set).
//
// Confidence is calibrated: the softmax temperature is fitted on held-out
// labelled items and damped by the distance to the nearest prototype beyond
// that category's usual radius.
package hypcd

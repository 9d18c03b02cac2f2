// Package categorization decides the category of transactions: the user's
// rules first, then the user's past corrections, then the model, and below a
// confidence threshold scale.Uncategorized. Every label records its source
// and confidence.
//
// The package also holds what is needed to build and judge a model without
// real customer data: a deterministic generator of realistic labelled bank
// transaction descriptions (Generate, SplitGCD), the CSV contracts of the
// command-line tools, evaluation metrics (accuracy, macro-F1, per-category
// table, GCD accuracies with one Hungarian matching) and a TF-IDF baseline.
package categorization

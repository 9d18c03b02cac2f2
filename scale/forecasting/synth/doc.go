// Package synth generates deterministic, multi-year daily transaction
// histories of synthetic users for evaluation: known recurring streams
// (salary on the last business day, rent on the 1st moved to the next
// business day, subscriptions, a loan instalment, weekly groceries, a yearly
// insurance premium, quarterly utility bills, weekday transit fares), noisy
// discretionary spending with weekly and monthly (payday) seasonality, and
// injected anomalies with their ground truth.
//
// The same Config always yields the same histories: every random choice
// comes from a PCG generator seeded from Config.Seed and the user's index.
// It imports the standard library and package scale only.
package synth

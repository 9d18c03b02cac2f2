// Package scale is the shared vocabulary of the Scale transaction-intelligence
// engine: money, civil dates, identifiers, transactions, accounts, categories,
// profiles, uploads, jobs, model versions, findings and the one error type.
//
// It imports the standard library only. Every domain package under scale/,
// every port in ports/ and every adapter speaks these types.
//
// Money is always an int64 amount of minor units plus an ISO 4217 currency;
// no float carries money anywhere. Dates a bank prints are civil dates
// (Date), never midnight timestamps. A transaction's amount is signed and its
// Type is derived from the sign: credit when positive, debit when negative;
// a zero amount is invalid.
//
// Personal-finance data is PII: the LogValue methods of Transaction and Money
// redact descriptions, merchants and amounts so that they never reach logs.
package scale

// Package anomaly flags individual transactions that deserve a second look
// and explains each finding in a sentence the account owner understands.
//
// Five pure detectors run over a user's history, each per currency and on
// debits only:
//
//   - amount_outlier: a payment far above the merchant's usual range, by a
//     robust z-score (distance from the median in units of 1.4826×MAD, the
//     MAD floored at 5% of the median) of at least 6 and at least three
//     times the median; with fewer than six earlier payments to the
//     merchant, the category's earlier payments (at least twenty) are the
//     baseline instead;
//   - new_merchant_large: the first payment to a merchant never paid
//     before, at least three times the user's 90th-percentile payment (after
//     sixty payments and thirty days of history);
//   - duplicate_charge: the same amount at the same merchant again within
//     two calendar days (48 hours of booking dates), unless that amount is a
//     habit there (two or more other charges of it within three weeks, like
//     a daily fare);
//   - price_increase: a charge up to twice the price that the three previous,
//     regularly spaced charges of the merchant had, arriving on schedule;
//   - frequency_burst: three or more payments to one merchant within two
//     days when its rate over the previous 180 days makes that count a
//     Poisson tail event (p < 1e-4).
//
// Every detector is causal: a transaction is judged only against what came
// before it (the duplicate detector also looks three weeks around it to
// recognize habits), so findings do not change when newer history arrives
// and scanning again is idempotent. Scores are in [0, 1]; 0.5 is the
// threshold of each detector and 1 is far beyond it.
//
// Price increases are found from the charges themselves (a tiny, local
// notion of "regular charge") instead of through package forecasting's
// stream detection, so that the two domains stay independent.
//
// Service scans a user's stored history and stores new findings through
// ports.AnomalyStore (one per transaction and kind), lists them and records
// the owner's feedback (dismiss, confirm). JobScan and ScanPayload make a
// scan a background job. Evaluate scores findings against injected ground
// truth for "scale eval anomaly". Logs carry ids and counts only, never
// merchants or amounts.
package anomaly

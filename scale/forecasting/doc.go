// Package forecasting detects a user's recurring money streams (salary, rent,
// subscriptions, loan payments, bills) and forecasts daily cash flow with
// calibrated intervals.
//
// # Recurring streams
//
// DetectRecurring groups a user's transactions by currency, direction and a
// normalized merchant key (digits, punctuation and payment-rail noise words
// removed), splitting a group into amount clusters when the whole group is
// not regular. A group becomes a Stream when its median gap matches a period
// (weekly, biweekly, monthly, quarterly, yearly), at least 70% of its gaps are
// one or two periods long (a skipped month still counts) and its amounts are
// stable (median absolute deviation at most 35% of the median). Monthly,
// quarterly and yearly streams are anchored by the day rule that explains
// most occurrences: a fixed day of month (clamped to short months, optionally
// moved to the following or preceding business day), the last day of month
// or the last business day. The next expected date follows that rule. The
// next amount of a fixed price (spread at most 2%) is the median of the last
// three charges, so a price change is adopted after two; a variable amount
// (groceries, utility bills) is the median of the last twelve. Two yearly
// occurrences suffice when their amounts agree within 5% and they are a
// year apart within five days. Confidence in [0, 1] is regularity × a count
// factor × an amount-stability factor, halved once the stream is overdue by
// more than two periods (then it is inactive and not projected); streams
// below 0.3 are reported but neither projected nor removed from the
// residual.
//
// # Forecast model
//
// Build forecasts the daily net cash flow of one currency as the sum of two
// parts:
//
//   - the projected occurrences of the active recurring streams, each at its
//     rule date with its predicted amount and the spread of its recent
//     amounts;
//   - a model of everything else (the residual, non-recurring flow): a
//     conditional empirical distribution. Over the last 52 weeks, each day's
//     residual total is divided by a day-of-month factor (six five-day
//     buckets, shrunk toward 1 with a prior weight of 30 days), and the
//     normalized values are pooled by weekday. The forecast for a future day
//     is its bucket factor times the weekday pool.
//
// A day's p10/p50/p90 are the exact quantiles of the pool combined with the
// recurring amounts due that day; horizon totals come from 200 seeded sample
// paths (one pool draw per day, plus per path a normal draw of the
// estimation error of the residual mean and of each stream's typical
// amount, which moves the whole path), so they are quantiles of the sum and
// not sums of quantiles. Empirical quantiles were chosen over a parametric
// model because personal spend is skewed, zero-inflated and heavy-tailed: a
// normal interval is too wide on quiet days and too narrow on busy ones,
// whereas the weekday pool reproduces the shape, and the day-of-month factor
// carries the payday effect. The p50 is the point forecast: it minimizes
// absolute error, which is what MASE measures. The whole method is
// deterministic: the same input gives the same forecast.
//
// Every Forecast carries its metadata: currency (one forecast per currency;
// amounts of different currencies are never added), accounts, categories
// with names, method and parameters, the history window and input counts
// (nothing is silently dropped: transactions of other currencies or accounts
// are counted as excluded), data-quality flags and the generation time.
//
// All money in results is int64 minor units of the forecast's currency;
// float64 is used only inside the statistics.
//
// Service loads a user's history through ports.TransactionStore and runs the
// pure functions. Backtest, RollingMean and SeasonalNaive implement the
// rolling-origin evaluation used by "scale eval forecast"; package synth
// generates the deterministic histories it runs on.
package forecasting

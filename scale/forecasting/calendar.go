package forecasting

import (
	"time"

	"github.com/scalehq/scale/scale"
)

func daysInMonth(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func isBusinessDay(d scale.Date) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

func lastBusinessDay(y int, m time.Month) scale.Date {
	d := scale.Date{Year: y, Month: m, Day: daysInMonth(y, m)}
	for !isBusinessDay(d) {
		d = d.AddDays(-1)
	}
	return d
}

// monthIndex numbers months continuously (year*12 + month-1).
func monthIndex(d scale.Date) int { return d.Year*12 + int(d.Month) - 1 }

func monthOf(idx int) (int, time.Month) { return idx / 12, time.Month(idx%12 + 1) }

// ruleDate returns the date the day rule gives in month idx.
func ruleDate(rule DayRule, dom int, adj Adjustment, idx int) scale.Date {
	y, m := monthOf(idx)
	switch rule {
	case RuleLastDay:
		return scale.Date{Year: y, Month: m, Day: daysInMonth(y, m)}
	case RuleLastBusinessDay:
		return lastBusinessDay(y, m)
	}
	d := scale.Date{Year: y, Month: m, Day: min(max(dom, 1), daysInMonth(y, m))}
	switch adj {
	case AdjustFollowing:
		for !isBusinessDay(d) {
			d = d.AddDays(1)
		}
	case AdjustPreceding:
		for !isBusinessDay(d) {
			d = d.AddDays(-1)
		}
	}
	return d
}

// dayBucket maps a day of month to one of six five-day buckets (26–31 share
// the last).
func dayBucket(d scale.Date) int { return min((d.Day-1)/5, 5) }

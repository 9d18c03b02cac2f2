package forecasting

import (
	"time"

	"github.com/scalehq/scale/scale"
)

var monthDays = [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func daysInMonth(y int, m time.Month) int {
	if m == time.February && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		return 29
	}
	return monthDays[m]
}

func isBusinessDay(d scale.Date) bool {
	wd := weekdayOf(dayNumber(d))
	return wd != time.Saturday && wd != time.Sunday
}

// addDays moves d by n days without the time package.
func addDays(d scale.Date, n int) scale.Date { return dateOfNumber(dayNumber(d) + n) }

func lastBusinessDay(y int, m time.Month) scale.Date {
	d := scale.Date{Year: y, Month: m, Day: daysInMonth(y, m)}
	for !isBusinessDay(d) {
		d = addDays(d, -1)
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
			d = addDays(d, 1)
		}
	case AdjustPreceding:
		for !isBusinessDay(d) {
			d = addDays(d, -1)
		}
	}
	return d
}

// dayBucket maps a day of month to one of six five-day buckets (26–31 share
// the last).
func dayBucket(d scale.Date) int { return min((d.Day-1)/5, 5) }

// dayNumber returns the days since 1970-01-01 of d, without the time
// package (Howard Hinnant's days_from_civil).
func dayNumber(d scale.Date) int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// dateOfNumber is the inverse of dayNumber.
func dateOfNumber(z int) scale.Date {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return scale.Date{Year: y, Month: time.Month(m), Day: d}
}

// weekdayOf returns the weekday of a day number (1970-01-01 was a Thursday).
func weekdayOf(z int) time.Weekday { return time.Weekday(((z % 7) + 7 + 4) % 7) }

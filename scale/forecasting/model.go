package forecasting

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/scalehq/scale/scale"
)

// Model parameters (reported in Forecast.Method.Parameters).
const (
	modelWindowDays = 364
	domPriorDays    = 30.0
	samplePaths     = 200
	sampleSeed      = 0x5ca1e
	minDomFactor    = 0.5
	maxDomFactor    = 2.0
	streamMinConf   = 0.3
)

// seasonalModel is the residual model: per weekday, a sorted pool of daily
// totals normalized by their day-of-month bucket factor.
type seasonalModel struct {
	dom   [6]float64
	pools [7][]float64
}

// fitSeasonal fits the model on daily totals starting at start.
func fitSeasonal(series []float64, start scale.Date) seasonalModel {
	var m seasonalModel
	for i := range m.dom {
		m.dom[i] = 1
	}
	if len(series) == 0 {
		return m
	}
	var sum float64
	var bsum [6]float64
	var bn [6]float64
	z0 := dayNumber(start)
	buckets := make([]int8, len(series))
	for i, v := range series {
		b := dayBucket(dateOfNumber(z0 + i))
		buckets[i] = int8(b)
		bsum[b] += v
		bn[b]++
		sum += v
	}
	mean := sum / float64(len(series))
	if math.Abs(mean) > 1e-9 {
		for b := range m.dom {
			f := (bsum[b] + domPriorDays*mean) / (bn[b] + domPriorDays) / mean
			m.dom[b] = math.Min(maxDomFactor, math.Max(minDomFactor, f))
		}
	}
	for i, v := range series {
		wd := weekdayOf(z0 + i)
		m.pools[wd] = append(m.pools[wd], v/m.dom[buckets[i]])
	}
	for i := range m.pools {
		slices.Sort(m.pools[i])
	}
	return m
}

// dayInfo is the calendar position of a forecast day.
type dayInfo struct {
	date    scale.Date
	weekday int
	bucket  int
}

// pool returns the sorted, scaled residual values for day d.
func (m *seasonalModel) pool(d dayInfo, buf []float64) []float64 {
	p := m.pools[d.weekday]
	f := m.dom[d.bucket]
	buf = buf[:0]
	if len(p) == 0 {
		return append(buf, 0)
	}
	for _, v := range p {
		buf = append(buf, v*f)
	}
	return buf
}

// draw samples the residual of day d.
func (m *seasonalModel) draw(d dayInfo, r *rand.Rand) float64 {
	p := m.pools[d.weekday]
	if len(p) == 0 {
		return 0
	}
	return p[r.IntN(len(p))] * m.dom[d.bucket]
}

// horizonDays returns the calendar positions of the horizon days after asOf.
func horizonDays(asOf scale.Date, horizon int) []dayInfo {
	out := make([]dayInfo, horizon)
	z := dayNumber(asOf)
	for i := range out {
		d := dateOfNumber(z + i + 1)
		out[i] = dayInfo{date: d, weekday: int(weekdayOf(z + i + 1)), bucket: dayBucket(d)}
	}
	return out
}

// occurrence is one projected stream event.
type occurrence struct {
	stream *Stream
	day    int // index into the horizon
}

// project forecasts horizon days after asOf from the residual model and the
// stream occurrences.
func project(m *seasonalModel, occs []occurrence, cal []dayInfo, seed uint64) ([]Day, Band) {
	horizon := len(cal)
	days := make([]Day, horizon)
	byDay := make([][]*Stream, horizon)
	for _, o := range occs {
		byDay[o.day] = append(byDay[o.day], o.stream)
	}
	var buf, next []float64
	for i := range days {
		d := cal[i]
		vals := m.pool(d, buf)
		var rec int64
		var events []Event
		for _, s := range byDay[i] {
			rec += s.NextAmount
			events = append(events, Event{Stream: s.ID, Name: s.Name, Kind: s.Kind, Amount: s.NextAmount})
			next = next[:0]
			for _, v := range vals {
				for _, dev := range deviationsOf(s) {
					next = append(next, v+float64(s.NextAmount)*(1+dev))
				}
			}
			vals, next = next, vals
		}
		if len(byDay[i]) > 0 {
			slices.Sort(vals)
		}
		days[i] = Day{Date: d.date, Recurring: rec, Events: events, Band: Band{
			P10: roundMinor(quantileSorted(vals, 0.1)),
			P50: roundMinor(quantileSorted(vals, 0.5)),
			P90: roundMinor(quantileSorted(vals, 0.9)),
		}}
		buf = vals
	}
	r := rand.New(rand.NewPCG(seed, uint64(horizon)))
	totals := make([]float64, samplePaths)
	for p := range totals {
		var t float64
		for i := range days {
			t += m.draw(cal[i], r)
			for _, s := range byDay[i] {
				devs := deviationsOf(s)
				t += float64(s.NextAmount) * (1 + devs[r.IntN(len(devs))])
			}
		}
		totals[p] = t
	}
	slices.Sort(totals)
	return days, Band{
		P10: roundMinor(quantileSorted(totals, 0.1)),
		P50: roundMinor(quantileSorted(totals, 0.5)),
		P90: roundMinor(quantileSorted(totals, 0.9)),
	}
}

var zeroDeviation = []float64{0}

func deviationsOf(s *Stream) []float64 {
	if len(s.deviations) == 0 {
		return zeroDeviation
	}
	return s.deviations
}

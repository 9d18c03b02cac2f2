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
	// Horizon totals: sample paths. Besides one draw per day, each path
	// draws the estimation error of the levels it rests on (the residual
	// mean and each stream's typical amount, normal with their standard
	// errors), which moves every day of the path together.
	r := rand.New(rand.NewPCG(seed, uint64(horizon)))
	streams, occStream := indexStreams(occs, byDay)
	levelSE := m.meanStdErr()
	shift := make([]float64, len(streams))
	se := make([]float64, len(streams))
	for k, s := range streams {
		se[k] = float64(s.NextAmount) * devStdErr(s)
	}
	totals := make([]float64, samplePaths)
	for p := range totals {
		for k := range streams {
			shift[k] = se[k] * r.NormFloat64()
		}
		t := r.NormFloat64() * levelSE * float64(horizon)
		for i := range days {
			t += m.draw(cal[i], r)
			for j, s := range byDay[i] {
				devs := deviationsOf(s)
				t += float64(s.NextAmount)*(1+devs[r.IntN(len(devs))]) + shift[occStream[i][j]]
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

// indexStreams numbers the distinct streams of the horizon and maps each
// day's occurrences to those numbers.
func indexStreams(occs []occurrence, byDay [][]*Stream) ([]*Stream, [][]int) {
	var streams []*Stream
	idx := map[*Stream]int{}
	for _, o := range occs {
		if _, ok := idx[o.stream]; !ok {
			idx[o.stream] = len(streams)
			streams = append(streams, o.stream)
		}
	}
	occ := make([][]int, len(byDay))
	for i, ss := range byDay {
		for _, s := range ss {
			occ[i] = append(occ[i], idx[s])
		}
	}
	return streams, occ
}

// devStdErr is the standard error of a stream's typical amount, relative.
func devStdErr(s *Stream) float64 {
	n := len(s.deviations)
	if n < 2 {
		return 0
	}
	var mean, ss float64
	for _, d := range s.deviations {
		mean += d
	}
	mean /= float64(n)
	for _, d := range s.deviations {
		ss += (d - mean) * (d - mean)
	}
	return math.Sqrt(ss/float64(n-1)) / math.Sqrt(float64(n))
}

// meanStdErr is the standard error of the mean daily residual.
func (m *seasonalModel) meanStdErr() float64 {
	var n, sum, ss float64
	for _, p := range m.pools {
		for _, v := range p {
			n++
			sum += v
		}
	}
	if n < 2 {
		return 0
	}
	mean := sum / n
	for _, p := range m.pools {
		for _, v := range p {
			ss += (v - mean) * (v - mean)
		}
	}
	return math.Sqrt(ss/(n-1)) / math.Sqrt(n)
}

var zeroDeviation = []float64{0}

// deviationsOf returns the amount spread of s as at most five equally
// likely relative deviations (the 10th, 30th, 50th, 70th and 90th
// percentiles of the recent deviations), or one for a fixed price, so that
// combining several events on one day stays small.
func deviationsOf(s *Stream) []float64 {
	if s.spread != nil {
		return s.spread
	}
	if len(s.deviations) == 0 {
		return zeroDeviation
	}
	d := slices.Sorted(slices.Values(s.deviations))
	if d[len(d)-1]-d[0] < 1e-9 {
		return []float64{d[0]}
	}
	return []float64{quantileSorted(d, 0.1), quantileSorted(d, 0.3), quantileSorted(d, 0.5), quantileSorted(d, 0.7), quantileSorted(d, 0.9)}
}

package forecasting

import (
	"testing"

	"github.com/matryer/is"

	"github.com/scalehq/scale/scale"
)

func TestDayNumberRoundTrips(t *testing.T) {
	is := is.New(t)
	start := scale.Date{Year: 1899, Month: 12, Day: 25}
	z0 := dayNumber(start)
	is.Equal(dayNumber(scale.Date{Year: 1970, Month: 1, Day: 1}), 0)
	for i := 0; i < 200*366; i += 3 {
		d := start.AddDays(i)
		is.Equal(dayNumber(d), z0+i)
		is.Equal(dateOfNumber(z0+i), d)
		is.Equal(weekdayOf(z0+i), d.Weekday())
	}
}

package categorization

import (
	"math"
	"testing"

	"github.com/matryer/is"
	"github.com/scalehq/scale/scale"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestScore(t *testing.T) {
	is := is.New(t)
	truth := []scale.CategoryID{"a", "a", "b", "b"}
	pred := []scale.CategoryID{"a", "b", "b", "b"}
	s := Score(truth, pred)
	is.Equal(s.N, 4)
	is.True(near(s.Accuracy, 0.75))
	// a: P=1 R=.5 F=2/3; b: P=2/3 R=1 F=.8
	is.True(near(s.MacroF1, (2.0/3+0.8)/2))
	is.Equal(len(s.PerCategory), 2)
	is.Equal(s.PerCategory[0].Category, scale.CategoryID("a"))
	is.True(near(s.PerCategory[0].Recall, 0.5))
	is.True(near(s.PerCategory[1].Precision, 2.0/3))
}

func TestGCDAccuracyOneMatching(t *testing.T) {
	is := is.New(t)
	truth := []scale.CategoryID{"food", "food", "food", "health", "health", "edu", "edu", "edu"}
	pred := []string{"food", "food", "new:1", "new:1", "new:1", "new:2", "new:2", "new:1"}
	g := GCDAccuracy(truth, pred, []scale.CategoryID{"food"})
	// One matching over all: food→food, new:1→health, new:2→edu.
	is.Equal(g.NOld, 3)
	is.Equal(g.NNew, 5)
	is.True(near(g.Old, 2.0/3))
	is.True(near(g.New, 4.0/5))
	is.True(near(g.All, 6.0/8))
}

func TestGCDAccuracyClusterCannotServeTwoClasses(t *testing.T) {
	is := is.New(t)
	truth := []scale.CategoryID{"x", "x", "y", "y"}
	pred := []string{"new:1", "new:1", "new:1", "new:1"}
	g := GCDAccuracy(truth, pred, nil)
	is.True(near(g.All, 0.5))
	is.True(near(g.New, 0.5))
}

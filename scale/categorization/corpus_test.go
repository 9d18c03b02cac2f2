package categorization

import (
	"strings"
	"testing"

	"github.com/matryer/is"
	"github.com/scalehq/scale/scale"
)

func TestGenerateDeterministic(t *testing.T) {
	is := is.New(t)
	a := Generate(CorpusConfig{Seed: 42, Size: 500})
	b := Generate(CorpusConfig{Seed: 42, Size: 500})
	c := Generate(CorpusConfig{Seed: 43, Size: 500})
	is.Equal(a, b)
	is.True(a[0].Description != c[0].Description || a[1].Description != c[1].Description)
}

func TestGenerateRealistic(t *testing.T) {
	is := is.New(t)
	es := Generate(CorpusConfig{Seed: 1, Size: 5000})
	perCat := map[scale.CategoryID]int{}
	currencies := map[scale.Currency]bool{}
	for _, e := range es {
		is.True(e.Amount != 0)
		is.True(e.Date.Valid())
		is.True(e.Description != "")
		is.True(e.Currency.Valid())
		currencies[e.Currency] = true
		perCat[e.Category]++
		if e.Category == "salary" {
			is.True(e.Amount > 0) // salaries are credits
		}
		if e.Category == "utilities" {
			is.True(e.Amount < 0)
		}
	}
	for _, c := range CorpusCategories() {
		is.True(perCat[c] > 100) // every category is well represented
	}
	is.Equal(len(currencies), 4)
	for c, ms := range parseMerchants(PoolDefault) {
		if c != "people" {
			is.True(len(ms) >= 15) // many merchants per category
		}
	}
}

func TestSplitGCD(t *testing.T) {
	is := is.New(t)
	es := Generate(CorpusConfig{Seed: 1, Size: 3000})
	s := SplitGCD(es, DefaultNewCategories(), 0.5, 9)
	is.Equal(len(s.Labelled)+len(s.Unlabelled), len(es))
	is.Equal(len(s.Old)+len(s.New), len(CorpusCategories()))
	newSeen := 0
	for _, e := range s.Labelled {
		for _, n := range s.New {
			is.True(e.Category != n) // new categories are never labelled
		}
	}
	for _, e := range s.Unlabelled {
		for _, n := range s.New {
			if e.Category == n {
				newSeen++
			}
		}
	}
	is.True(newSeen > 300)
	is.True(len(s.Labelled) > 900 && len(s.Labelled) < 1500)
}

// TestAlternatePool: the alternate and blind pools change only the payees
// of the default new categories, and the default pool is untouched by them.
func TestAlternatePool(t *testing.T) {
	is := is.New(t)
	def := Generate(CorpusConfig{Seed: 3, Size: 4000})
	is.Equal(def, Generate(CorpusConfig{Seed: 3, Size: 4000, Pool: PoolDefault}))
	alt := Generate(CorpusConfig{Seed: 3, Size: 4000, Pool: PoolAlternate})
	isNew := map[scale.CategoryID]bool{}
	for _, c := range DefaultNewCategories() {
		isNew[c] = true
	}
	base := parseMerchants(PoolDefault)
	for _, pool := range []string{PoolAlternate, PoolBlind} {
		other := parseMerchants(pool)
		for c := range base {
			if isNew[c] {
				is.True(base[c][0].name != other[c][0].name) // replaced
				is.True(len(other[c]) >= 20)
			} else {
				is.Equal(base[c], other[c]) // kept
			}
		}
	}
	count := func(es []Example) map[scale.CategoryID]int {
		n := map[scale.CategoryID]int{}
		for _, e := range es {
			n[e.Category]++
		}
		return n
	}
	nd, na := count(def), count(alt)
	for _, c := range CorpusCategories() {
		is.True(na[c] > nd[c]*3/4 && na[c] < nd[c]*4/3) // the same mix of categories
	}
	fromAlt := 0
	for _, e := range alt {
		d := strings.ToUpper(e.Description)
		if isNew[e.Category] && (strings.Contains(d, "LABCORP") || strings.Contains(d, "SKILLSHARE") ||
			strings.Contains(d, "CINEMAXX") || strings.Contains(d, "FIELMANN") || strings.Contains(d, "BABBEL")) {
			fromAlt++
		}
	}
	is.True(fromAlt > 20)
}

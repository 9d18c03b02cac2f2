package hypcd

import (
	"strings"
	"testing"

	"github.com/matryer/is"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

func groupIndex(t *testing.T, name string) int {
	t.Helper()
	for g, grp := range mccGroups {
		if grp.name == name {
			return g
		}
	}
	t.Fatalf("no MCC group %q", name)
	return -1
}

// topGroup returns the MCC group a word points to most, "" for none.
func topGroup(word string) string {
	best, bv := "", 0.0
	for g, x := range mccGroupsOf(word) {
		if x > bv || x == bv && mccGroups[g].name < best {
			best, bv = mccGroups[g].name, x
		}
	}
	return best
}

func TestMCCGroupsOfMatchesDescriptionsTruncationsAndTypos(t *testing.T) {
	for _, c := range []struct{ word, want string }{
		{"pharmacy", "medical-services"},
		{"pharmacies", "medical-services"},  // plural
		{"pharmac", "medical-services"},     // truncated by the bank
		{"parmacy", "medical-services"},     // one letter missing
		{"hosptial", "medical-services"},    // two letters swapped
		{"cvspharmacy", "medical-services"}, // run together
		{"dentist", "medical-services"},
		{"hospitals", "medical-services"},
		{"university", "educational-services"},
		{"tuitio", "educational-services"},
		{"schools", "educational-services"},
		{"cinemas", "amusement-recreation"},
		{"theatres", "amusement-recreation"},
		{"theaters", "amusement-recreation"},
		{"restaurant", "eating-drinking"},
		{"supermarket", "food-stores"},
		{"taxi", "transportation"},
		{"hotel", "travel"},
		{"electricity", "telecom-utilities"},
		{"insurance", "financial"},
		{"laundry", "personal-services"},
		{"netflix", ""}, // brand names are not in the lexicon
		{"subscription", ""},
		{"premium", ""},
		{"playstation", ""},
		{"ab", ""},
	} {
		if got := topGroup(c.word); got != c.want {
			t.Errorf("mccGroupsOf(%q): top group %q, want %q", c.word, got, c.want)
		}
	}
}

func TestMCCLexiconIsWellFormed(t *testing.T) {
	is := is.New(t)
	names := map[string]bool{}
	for _, c := range scale.DefaultCategories() {
		names[strings.ToLower(string(c.ID))] = true
	}
	seen := map[string]bool{}
	for g, grp := range mccGroups {
		is.True(!seen[grp.name])  // group names are unique
		is.True(!names[grp.name]) // groups are MCC groups, not our categories
		seen[grp.name] = true
		is.True(grp.codes != "")
		ws := strings.Fields(grp.words)
		is.True(len(ws) >= 5)
		for _, w := range ws {
			if mccStop[w] {
				continue
			}
			gs := mccGroupsOf(w)
			if gs[g] == 0 {
				t.Errorf("word %q of group %s does not point to it", w, grp.name)
			}
			sum := 0.0
			for _, x := range gs {
				sum += x
			}
			is.True(sum > 0.999 && sum < 1.001) // weights sum to 1
		}
	}
}

func TestEditDistance1(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"pharmacy", "parmacy", true},
		{"pharmacy", "pharmaccy", true},
		{"pharmacy", "pharmacx", true},
		{"pharmacy", "phramacy", true},
		{"pharmacy", "pharmacy", false},
		{"pharmacy", "prahmacy", false},
		{"pharmacy", "harmac", false},
		{"cinema", "cienma", true},
		{"xé", "xab", false},            // é is two bytes: two edits
		{"a€bcdef", "azzzbcdef", false}, // € is three bytes
		{"moebel", "möbel", false},
	} {
		if got := editDistance1(c.a, c.b); got != c.want {
			t.Errorf("editDistance1(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// TestMerchantTypeTiesPayeesBeyondSpelling checks that the merchant-type
// view makes a pharmacy nearer a hospital than a cinema with the same
// amounts, although the three share no word.
func TestMerchantTypeTiesPayeesBeyondSpelling(t *testing.T) {
	is := is.New(t)
	var items []ports.ClassifyInput
	var ps []payee
	for _, d := range []string{"POS 1234 GREENLEAF PHARMACY", "UPI/DR/1234/RIVERSIDE HOSPITAL/ybl/UPI", "SQ *ORION CINEMAS"} {
		p := payee{key: d}
		for i := 0; i < 3; i++ {
			p.members = append(p.members, len(items))
			items = append(items, ports.ClassifyInput{Description: d, Amount: -2500, Currency: "USD"})
		}
		ps = append(ps, p)
	}
	pts := make([][]float64, len(items))
	for i := range pts {
		pts[i] = []float64{1, 0}
	}
	sp := newPayeeSpace(items, pts, ps)
	med, amu := groupIndex(t, "medical-services"), groupIndex(t, "amusement-recreation")
	is.True(sp.mcc[0][med] > 0.99)
	is.True(sp.mcc[1][med] > 0.99)
	is.True(sp.mcc[2][amu] > 0.99)
	is.True(sp.dist(0, 1) < sp.dist(0, 2))
	is.True(sp.dist(0, 1) < sp.dist(1, 2))
}

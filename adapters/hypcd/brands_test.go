package hypcd

import (
	"regexp"
	"strings"
	"testing"

	"github.com/matryer/is"

	"github.com/scalehq/scale/ports"
)

// TestBrandsFileIsWellFormed: every line of brands.txt is a comment or
// "group|NAME" with a known group and an upper-case ASCII name, and no
// name appears twice (parseBrands would silently skip a bad line).
func TestBrandsFileIsWellFormed(t *testing.T) {
	groups := map[string]bool{}
	for _, g := range mccGroups {
		groups[g.name] = true
	}
	line := regexp.MustCompile(`^~?([a-z-]+)\|([A-Z0-9&]+(?: [A-Z0-9&]+)*)$`)
	seen := map[string]int{}
	for n, l := range strings.Split(strings.TrimRight(brandsFile, "\n"), "\n") {
		if strings.HasPrefix(l, "#") {
			continue
		}
		m := line.FindStringSubmatch(l)
		if m == nil || !groups[m[1]] {
			t.Errorf("brands.txt line %d: %q is not group|NAME with a known group", n+1, l)
			continue
		}
		if prev, dup := seen[m[2]]; dup {
			t.Errorf("brands.txt line %d: %s already on line %d", n+1, m[2], prev)
		}
		seen[m[2]] = n + 1
	}
	if len(seen) < 1000 {
		t.Errorf("brands.txt holds %d brands, want the full list", len(seen))
	}
	// Most brands are matched; the rest are refused for a stated reason
	// (too short, or a place, number or letter dropped by the cleaning).
	if n := len(brandList.brands) + len(brandList.generic); n < len(seen)*9/10 {
		t.Errorf("%d of %d brands indexed", n, len(seen))
	}
}

func brandGroup(t *testing.T, desc string) string {
	t.Helper()
	best, bv := "", 0.0
	for g, x := range brandList.groupsOf(brandWordsOf(ports.ClassifyInput{Description: desc})) {
		if x > bv {
			best, bv = mccGroups[g].name, x
		}
	}
	return best
}

func TestBrandGroups(t *testing.T) {
	for _, c := range []struct{ desc, want string }{
		{"WALGREENS #4512 CHICAGO IL", "medical-services"},
		{"RITE AID STORE 0042", "medical-services"},
		{"POS RITEAID 0042", "medical-services"},         // run together
		{"SKILLSHARE.COM", "educational-services"},       // a brand alone names the trade
		{"PANDORA JEWELRY 1234", "miscellaneous-stores"}, // the longest brand wins
		{"PANDORA *MUSIC", "digital-media"},
		{"TARGET 00012345", "general-merchandise"}, // an everyday word as the whole name
		{"TARGET PRACTICE RANGE", ""},              // ... but not inside another name
		{"BOSTON UNIVERSITY BURSAR", ""},           // left out: cleaning drops "boston"
		{"T-MOBILE USA", ""},                       // left out: "mobile" alone names no brand
		{"ACME HARDWARE SUPPLY", ""},
		{"MARKS AND SPENCER 0123", "general-merchandise"}, // "and" is dropped on both sides
		{"BANK OF AMERICA CREDIT CARD", "financial"},      // as is "of"
		{"MCDONALD'S F12345", "eating-drinking"},          // the possessive's lone "s" is dropped
		{"MCDONALD’S F12345", "eating-drinking"},          // typographic apostrophe
		{"SAINSBURY'S S/MKT", "food-stores"},
		{"PEACOCK TV", ""}, // not PEACOCKS, the clothing chain, nor the everyday-word PEACOCK alone
	} {
		if got := brandGroup(t, c.desc); got != c.want {
			t.Errorf("%q: brand group %q, want %q", c.desc, got, c.want)
		}
	}
}

func TestParseBrandsSkipsShortAndUnknown(t *testing.T) {
	is := is.New(t)
	idx := parseBrands("# comment\nmedical-services|BOOTS PHARMACY\nnot-a-group|SOMETHING\ntransportation|BP\n~clothing|NEXT\n")
	is.Equal(len(idx.brands), 1) // "BP" is shorter than brandMinLen; the unknown group is skipped
	is.Equal(idx.generic["next"], groupIndexOf("clothing"))
	is.Equal(idx.brands["bootspharmacy"], groupIndexOf("medical-services"))
}

func groupIndexOf(name string) int {
	for g, grp := range mccGroups {
		if grp.name == name {
			return g
		}
	}
	return -1
}

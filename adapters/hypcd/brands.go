package hypcd

import (
	_ "embed"
	"strings"

	"github.com/scalehq/scale/ports"
)

// brandsFile lists well-known merchant brands with their merchant type, one
// "group|BRAND NAME" per line (brands.txt says how it was written).
//
//go:embed brands.txt
var brandsFile string

// brandMinLen is the shortest brand (its letters run together) that is
// matched: shorter names ("BP", "EE", "O2") are too often part of
// something else.
const brandMinLen = 4

// brandMaxWords is the longest brand name, in words, that is matched.
const brandMaxWords = 4

// brandIndex is the parsed brand list: a brand's cleaned words run
// together → its MCC group. Brands that are everyday words (a "~" line:
// TARGET, NEXT, SHELL) are kept apart: they count only when they are a
// payee's whole name.
type brandIndex struct {
	brands  map[string]int
	generic map[string]int
}

// brandList is parsed once from brandsFile.
var brandList = parseBrands(brandsFile)

// parseBrands reads the brand list; a line naming no MCC group is ignored.
// A brand's words are cleaned as a description's are (Words); a brand that
// loses a word to the cleaning (a city, a number, boilerplate) is left out,
// since what is left would name far more than the brand.
func parseBrands(text string) brandIndex {
	groups := map[string]int{}
	for g, grp := range mccGroups {
		groups[grp.name] = g
	}
	idx := brandIndex{brands: map[string]int{}, generic: map[string]int{}}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		group, name, ok := strings.Cut(line, "|")
		generic := strings.HasPrefix(group, "~")
		g, known := groups[strings.TrimPrefix(group, "~")]
		if !ok || !known {
			continue
		}
		words := Words(ports.ClassifyInput{Description: name})
		key := strings.Join(words, "")
		if len(key) < brandMinLen || len(words) != len(rawTokens(name)) {
			continue // cleaning dropped a word: "BOSTON UNIVERSITY" would be any "university"
		}
		if generic {
			idx.generic[key] = g
		} else {
			idx.brands[key] = g
		}
	}
	return idx
}

// groupsOf returns the MCC groups of the brands found in a payee's cleaned
// words, one count per brand: a run of up to brandMaxWords consecutive
// words whose letters, run together, spell a brand ("rite aid", "riteaid"),
// the longest run first; an everyday-word brand only as the whole name.
func (idx brandIndex) groupsOf(words []string) map[int]float64 {
	var out map[int]float64
	add := func(g int) {
		if out == nil {
			out = map[int]float64{}
		}
		out[g]++
	}
	if g, ok := idx.generic[strings.Join(words, "")]; ok {
		add(g)
		return out
	}
	for i := 0; i < len(words); {
		matched := 0
		for n := min(brandMaxWords, len(words)-i); n >= 1; n-- {
			if g, ok := idx.brands[strings.Join(words[i:i+n], "")]; ok {
				add(g)
				matched = n
				break
			}
		}
		i += max(matched, 1)
	}
	return out
}

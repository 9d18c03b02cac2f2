package hypcd

import (
	_ "embed"
	"slices"
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

// parseBrands reads the brand list; a line naming no MCC group is ignored,
// as is a brand that brandWords refuses or that is shorter than
// brandMinLen (KLM, UPS, DHL: 165 of the 1,980 lines are left out so).
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
		words, ok := brandWords(name)
		key := strings.Join(words, "")
		if !ok || len(key) < brandMinLen {
			continue
		}
		if generic || len(words) == 1 && len(words) < len(rawTokens(name)) {
			// "THE RANGE" is left with one everyday word: whole names only.
			idx.generic[key] = g
		} else {
			idx.brands[key] = g
		}
	}
	return idx
}

// brandWords cleans a brand's name as Words cleans a description; ok is
// false when the cleaning drops more than boilerplate ("and", "of", "the"):
// a place, a number or a single letter, since what is left ("university"
// of "BOSTON UNIVERSITY", "mobile" of "T MOBILE", "balance" of "NEW
// BALANCE") would name far more than the brand.
func brandWords(name string) (words []string, ok bool) {
	words = Words(ports.ClassifyInput{Description: name})
	for _, t := range rawTokens(name) {
		if (cityWords[t] || isCode(t) || len(t) < 2) && !slices.Contains(words, t) {
			return nil, false
		}
	}
	return words, true
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

// brandWordsOf is Words of a transaction with its apostrophes removed
// first, so a possessive stays one word: "MCDONALD'S" and "MCDONALD’S"
// give "mcdonalds", as the list spells it (Words would split off the "s"
// and drop it).
func brandWordsOf(in ports.ClassifyInput) []string {
	in.Description, in.Merchant = apostrophes.Replace(in.Description), apostrophes.Replace(in.Merchant)
	return Words(in)
}

// apostrophes removes straight and typographic apostrophes.
var apostrophes = strings.NewReplacer("'", "", "’", "")

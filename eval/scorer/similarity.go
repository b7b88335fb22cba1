package scorer

import (
	"strings"
	"unicode"
)

// Similarity is the Jaccard similarity of the token sets of a and b:
// |A ∩ B| / |A ∪ B|, where a token is a maximal run of Unicode letters
// and digits, lower-cased; punctuation, spacing and word order do not
// count, repeats count once. Two texts without tokens are identical (1);
// one without tokens shares nothing (0).
func Similarity(a, b string) float64 {
	ta, tb := tokenSet(a), tokenSet(b)
	if len(ta) == 0 && len(tb) == 0 {
		return 1
	}
	common := 0
	for t := range ta {
		if _, ok := tb[t]; ok {
			common++
		}
	}
	return float64(common) / float64(len(ta)+len(tb)-common)
}

func tokenSet(s string) map[string]struct{} {
	set := map[string]struct{}{}
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }) {
		set[strings.ToLower(t)] = struct{}{}
	}
	return set
}

package workspace

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aymanbagabas/go-udiff/lcs"
)

// WordChunk is a piece of a word diff: text both sides share, or text only
// the old (DiffDelete) or the new side (DiffInsert) has.
type WordChunk struct {
	Kind DiffKind
	Text string
}

// DiffWords compares two texts word by word, the way `git diff
// --word-diff` does: words (letters, digits, '_'), runs of white space
// and single other characters are the units, so "{{name}}" changing to
// "{{user.name}}" changes only the name; a newline is a unit of its own. Joining the Equal and Delete
// chunks gives before, the Equal and Insert chunks after. Pure.
func DiffWords(before, after string) []WordChunk {
	a, b := words(before), words(after)
	var out []WordChunk
	add := func(kind DiffKind, toks []string) {
		if len(toks) == 0 {
			return
		}
		text := strings.Join(toks, "")
		if n := len(out); n > 0 && out[n-1].Kind == kind {
			out[n-1].Text += text
			return
		}
		out = append(out, WordChunk{Kind: kind, Text: text})
	}
	at := 0 // next token of a not yet written
	for _, d := range lcs.DiffLines(a, b) {
		add(DiffEqual, a[at:d.Start])
		add(DiffDelete, a[d.Start:d.End])
		add(DiffInsert, b[d.ReplStart:d.ReplEnd])
		at = d.End
	}
	add(DiffEqual, a[at:])
	return out
}

// words splits s into the units DiffWords compares; they join back to s.
func words(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		j := i + size
		switch {
		case isWordRune(r):
			for j < len(s) {
				r, size := utf8.DecodeRuneInString(s[j:])
				if !isWordRune(r) {
					break
				}
				j += size
			}
		case r != '\n' && unicode.IsSpace(r):
			// A newline is a unit of its own, so lines stay lines.
			for j < len(s) {
				r, size := utf8.DecodeRuneInString(s[j:])
				if r == '\n' || !unicode.IsSpace(r) {
					break
				}
				j += size
			}
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// WordSides splits a word diff into its two sides, for showing them side
// by side: before holds the Equal and Delete chunks, after the Equal and
// Insert ones, each in order. Pure.
func WordSides(chunks []WordChunk) (before, after []WordChunk) {
	for _, c := range chunks {
		if c.Kind != DiffInsert {
			before = append(before, c)
		}
		if c.Kind != DiffDelete {
			after = append(after, c)
		}
	}
	return before, after
}

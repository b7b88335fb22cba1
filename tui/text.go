package tui

import (
	"slices"
	"strings"

	"charm.land/lipgloss/v2"
)

// highlight draws s in base with the bytes at matches (sorted, as the
// fuzzy filter gives them) in hit.
func highlight(s string, matches []int, base, hit lipgloss.Style) string {
	if len(matches) == 0 {
		return base.Render(s)
	}
	var b strings.Builder
	start := 0
	for i := 0; i < len(matches); {
		at := matches[i]
		if at >= len(s) {
			break
		}
		end := at + 1
		for i++; i < len(matches) && matches[i] == end; i++ {
			end++
		}
		b.WriteString(base.Render(s[start:at]))
		b.WriteString(hit.Render(s[at:end]))
		start = end
	}
	b.WriteString(base.Render(s[start:]))
	return b.String()
}

// sortedLabels lists label names, production first, then by name.
func sortedLabels(labels map[string]int) []string {
	out := make([]string, 0, len(labels))
	for l := range labels {
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == "production":
			return -1
		case b == "production":
			return 1
		}
		return strings.Compare(a, b)
	})
	return out
}

// scrolled is the first row to show of a list of n rows, height at a
// time, so that the cursor row is in view and no room is left empty below
// the last row; offset is the first row shown now.
func scrolled(cursor, offset, height, n int) int {
	if height <= 0 {
		return offset
	}
	if cursor < offset {
		offset = cursor
	}
	if cursor >= offset+height {
		offset = cursor - height + 1
	}
	return max(min(offset, n-height), 0)
}

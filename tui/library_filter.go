package tui

import (
	"slices"
	"strings"

	"github.com/sahilm/fuzzy"

	"promptbench/workspace"
)

// filterSource is what the fuzzy filter searches: per prompt its name,
// description and tags in one string, built once per load. Names come
// first so that a match's positions below len(name) are in the name.
type filterSource []string

func newFilterSource(prompts []workspace.Prompt) filterSource {
	src := make(filterSource, len(prompts))
	for i, p := range prompts {
		var b strings.Builder
		b.Grow(len(p.Name) + len(p.Description) + 16*len(p.Tags))
		b.WriteString(p.Name)
		b.WriteString("  ")
		b.WriteString(strings.ToLower(p.Description))
		for _, t := range p.Tags {
			b.WriteString("  ")
			b.WriteString(t)
		}
		src[i] = b.String()
	}
	return src
}

func (s filterSource) String(i int) string { return s[i] }
func (s filterSource) Len() int            { return len(s) }

// filterRows ranks the prompts matching pattern, best first, as a flat
// list with the matched characters of each name.
func filterRows(prompts []workspace.Prompt, src filterSource, pattern string) []row {
	matches := fuzzy.FindFrom(strings.ToLower(pattern), src)
	rows := make([]row, 0, len(matches))
	for _, m := range matches {
		name := prompts[m.Index].Name
		var inName []int
		for _, at := range m.MatchedIndexes {
			if at < len(name) {
				inName = append(inName, at)
			}
		}
		rows = append(rows, row{kind: rowPrompt, key: "\x00filter\x00" + name, label: name, prompt: m.Index, matches: slices.Clip(inName)})
	}
	return rows
}

package tui

import (
	"cmp"
	"runtime"
	"slices"
	"strings"
	"sync"

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

// subset is the part of the source a search looks at.
type subset struct {
	src filterSource
	idx []int // prompt indexes; nil: all
}

func (s subset) String(i int) string {
	if s.idx == nil {
		return s.src[i]
	}
	return s.src[s.idx[i]]
}

func (s subset) Len() int {
	if s.idx == nil {
		return len(s.src)
	}
	return len(s.idx)
}

// filterCache remembers recent searches of one loaded library. A longer
// pattern only searches what its prefix matched (a fuzzy match of "abc"
// is a match of "ab"), and backspace finds its answer here.
type filterCache map[string][]row

const filterCacheMax = 64

// filterRows ranks the prompts matching pattern, best first (ties in name
// order), as a flat list with the matched positions of each.
func filterRows(prompts []workspace.Prompt, src filterSource, cache filterCache, pattern string) []row {
	pattern = strings.ToLower(pattern)
	if rows, ok := cache[pattern]; ok {
		return rows
	}
	s := subset{src: src}
	for prefix := pattern[:len(pattern)-1]; prefix != ""; prefix = prefix[:len(prefix)-1] {
		if rows, ok := cache[prefix]; ok {
			s.idx = make([]int, len(rows))
			for i, r := range rows {
				s.idx[i] = r.prompt
			}
			slices.Sort(s.idx) // source order, for ties in name order
			break
		}
	}
	matches := search(pattern, s)
	// Names first: the pattern inside a name, then matched within the
	// name, then anywhere; by score within each; ties in name order.
	// Sorting positions moves far less memory than sorting the matches.
	order := make([]int, len(matches))
	tier := make([]int8, len(matches))
	for i, m := range matches {
		order[i] = i
		name := prompts[m.Index].Name
		switch {
		case strings.Contains(name, pattern):
			tier[i] = 2
		case m.MatchedIndexes[len(m.MatchedIndexes)-1] < len(name):
			tier[i] = 1
		}
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(tier[b], tier[a]), cmp.Compare(matches[b].Score, matches[a].Score),
			cmp.Compare(matches[a].Index, matches[b].Index))
	})
	rows := make([]row, len(matches))
	for i, at := range order {
		m := matches[at]
		name := prompts[m.Index].Name
		rows[i] = row{kind: rowPrompt, key: name, label: name, prompt: m.Index, matches: m.MatchedIndexes}
	}
	if len(cache) >= filterCacheMax {
		clear(cache)
	}
	cache[pattern] = rows
	return rows
}

// searchChunk is the least work worth a goroutine of its own.
const searchChunk = 2500

// search finds the matches of pattern in s, their Index a prompt index.
// A large library is searched in parallel chunks: it is pure computation
// on data the model owns, and typing should feel instant.
func search(pattern string, s subset) fuzzy.Matches {
	n := s.Len()
	parts := min(runtime.GOMAXPROCS(0), max(n/searchChunk, 1), 8)
	found := make([]fuzzy.Matches, parts)
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := p*n/parts, (p+1)*n/parts
		wg.Go(func() {
			ms := fuzzy.FindFromNoSort(pattern, chunk{s, lo, hi})
			for i := range ms {
				ms[i].Index = s.prompt(lo + ms[i].Index)
			}
			found[p] = ms
		})
	}
	wg.Wait()
	return slices.Concat(found...)
}

// chunk is part of a subset.
type chunk struct {
	s      subset
	lo, hi int
}

func (c chunk) String(i int) string { return c.s.String(c.lo + i) }
func (c chunk) Len() int            { return c.hi - c.lo }

// prompt is the prompt index of the subset's i-th string.
func (s subset) prompt(i int) int {
	if s.idx == nil {
		return i
	}
	return s.idx[i]
}

// matchHint says why a prompt matched when its name does not hold the
// pattern but a tag or the description does: that tag, or "description".
// Scattered fuzzy matches get no hint. Drawing asks, for the rows shown.
func matchHint(text, name, pattern string) string {
	if strings.Contains(name, pattern) {
		return ""
	}
	parts := strings.Split(text[min(len(name)+2, len(text)):], "  ")
	for _, tag := range parts[1:] {
		if strings.Contains(tag, pattern) {
			return tag
		}
	}
	if strings.Contains(parts[0], pattern) {
		return "description"
	}
	return ""
}

package tui

import (
	"path"
	"slices"
	"strings"

	"promptbench/workspace"
)

// The Library's rows are built from the loaded prompts, what is open and
// the sort order, only when one of those changes; drawing reads them.

type rowKind int

const (
	rowFacet  rowKind = iota // "purpose"
	rowValue                 // "support" under purpose
	rowFolder                // "support/" grouping prompts by name
	rowPrompt
	rowUntagged // prompts without tags
)

// row is one line of the Library.
type row struct {
	kind  rowKind
	depth int
	key   string // unique among rows, kept across rebuilds for the cursor
	label string
	count int
	// prompt indexes the loaded prompts for prompt rows, else -1.
	prompt int
	// matches are the positions in label that the filter matched.
	matches []int
}

// sortOrder is how prompts are listed under a node.
type sortOrder int

const (
	byName sortOrder = iota
	byRecency
)

func (o sortOrder) String() string {
	if o == byRecency {
		return "recent first"
	}
	return "by name"
}

// opened tells whether a node is open: facets and folders start open,
// values closed (a value can hold thousands of prompts).
func opened(open map[string]bool, kind rowKind, key string) bool {
	if v, ok := open[key]; ok {
		return v
	}
	return kind == rowFacet || kind == rowFolder
}

// buildTree lists facets, their values and prompts, and the untagged
// prompts, with counts, opening what open says.
func buildTree(prompts []workspace.Prompt, open map[string]bool, order sortOrder) []row {
	byTag := map[string][]int{}     // "facet:value" -> prompt indexes
	facets := map[string][]string{} // facet -> values
	inFacet := map[string]int{}     // facet -> prompts carrying any of its values
	var untagged []int
	for i, p := range prompts {
		if len(p.Tags) == 0 {
			untagged = append(untagged, i)
			continue
		}
		prev := ""
		for _, t := range p.Tags { // sorted: a facet's tags are together
			facet, value, ok := strings.Cut(t, ":")
			if !ok {
				facet, value = workspace.DefaultFacet, t
			}
			if byTag[t] == nil {
				facets[facet] = append(facets[facet], value)
			}
			byTag[t] = append(byTag[t], i)
			if facet != prev {
				prev = facet
				inFacet[facet]++
			}
		}
	}
	names := make([]string, 0, len(facets))
	for f := range facets {
		names = append(names, f)
	}
	slices.Sort(names)
	var rows []row
	for _, f := range names {
		rows = append(rows, row{kind: rowFacet, key: f, label: f, count: inFacet[f], prompt: -1})
		if !opened(open, rowFacet, f) {
			continue
		}
		values := facets[f]
		slices.Sort(values)
		for _, v := range values {
			tag := f + ":" + v
			members := byTag[tag]
			rows = append(rows, row{kind: rowValue, depth: 1, key: tag, label: v, count: len(members), prompt: -1})
			if opened(open, rowValue, tag) {
				rows = appendPrompts(rows, prompts, members, tag, 2, open, order)
			}
		}
	}
	if len(untagged) > 0 {
		rows = append(rows, row{kind: rowUntagged, key: "\x00untagged", label: "untagged", count: len(untagged), prompt: -1})
		if opened(open, rowFacet, "\x00untagged") {
			rows = appendPrompts(rows, prompts, untagged, "\x00untagged", 1, open, order)
		}
	}
	return rows
}

// appendPrompts lists prompts under a node, those in folders grouped
// under a folder row each.
func appendPrompts(rows []row, prompts []workspace.Prompt, members []int, parent string, depth int, open map[string]bool, order sortOrder) []row {
	members = sortMembers(prompts, members, order)
	type folder struct {
		name    string
		members []int
	}
	var loose []int
	var folders []*folder
	index := map[string]*folder{}
	for _, i := range members {
		dir := path.Dir(prompts[i].Name)
		if dir == "." {
			loose = append(loose, i)
			continue
		}
		f := index[dir]
		if f == nil {
			f = &folder{name: dir}
			index[dir] = f
			folders = append(folders, f)
		}
		f.members = append(f.members, i)
	}
	if order == byName {
		slices.SortFunc(folders, func(a, b *folder) int { return strings.Compare(a.name, b.name) })
	}
	for _, f := range folders {
		key := parent + "/" + f.name + "/"
		rows = append(rows, row{kind: rowFolder, depth: depth, key: key, label: f.name + "/", count: len(f.members), prompt: -1})
		if !opened(open, rowFolder, key) {
			continue
		}
		for _, i := range f.members {
			rows = append(rows, row{kind: rowPrompt, depth: depth + 1, key: key + "\x00" + prompts[i].Name, label: path.Base(prompts[i].Name), prompt: i})
		}
	}
	for _, i := range loose {
		rows = append(rows, row{kind: rowPrompt, depth: depth, key: parent + "\x00" + prompts[i].Name, label: prompts[i].Name, prompt: i})
	}
	return rows
}

// sortMembers orders prompt indexes by name (the list's order already)
// or newest change first.
func sortMembers(prompts []workspace.Prompt, members []int, order sortOrder) []int {
	if order != byRecency {
		return members
	}
	out := slices.Clone(members)
	slices.SortStableFunc(out, func(a, b int) int {
		return prompts[b].Updated.Compare(prompts[a].Updated)
	})
	return out
}

//go:build linux

package main

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Lineages are the soak's labelled prompts that users rename, roll back
// and delete: each lives in a slot with three names (soak/l<slot>/a, b,
// c) it is renamed between, in chains and back; its labels move before
// and after renames; later versions include another lineage
// ({{> soak/l<k>/x@1}}), so that renames and rm --force leave includes
// behind; a deleted one is followed by a new prompt in its slot that may
// take a name an earlier one had.
const lineageSlots = 4

var lineageNames = []string{"a", "b", "c"}

// Lineage labels: production and staging (gated is protected on soak/**).
var lineageLabels = []string{"production", "staging"}

// lineage is what the soak knows of the prompt in one slot.
type lineage struct {
	slot, gen int
	// state: "none" (the slot is free), "maybe made" (its first commit
	// was killed), "live", "maybe gone" (rm --force was killed).
	state string
	// where: the names it may be under now, one when known.
	where map[string]bool
	had   map[string]bool // names this prompt has held, for mv back
	// versions: number → hash (12 hex or full) reported or seen.
	versions map[int]string
	reported map[string]bool // hashes of the versions commits reported
	// includes: version → the lineage name it includes ({{> NAME@1}}).
	includes map[int]string
	attempts int // commits of unknown outcome since the last check
	labels   map[string]*labelState
	renamed  bool // a rename of it was reported or seen
	chain    int  // renames reported or seen since it was made
	// movedFrom: the name a killed mv renamed it from, until a check
	// finds where it is.
	movedFrom string
}

func lineageName(slot int, name string) string { return fmt.Sprintf("soak/l%d/%s", slot, name) }

// lineageOf tells the slot a prompt name belongs to, or -1.
func lineageOf(name string) int {
	rest, ok := strings.CutPrefix(name, "soak/l")
	if !ok {
		return -1
	}
	n, err := strconv.Atoi(strings.SplitN(rest, "/", 2)[0])
	if err != nil || n < 0 || n >= lineageSlots {
		return -1
	}
	return n
}

// name is where the lineage is, when that is known.
func (l *lineage) name() (string, bool) {
	if l.state != "live" || len(l.where) != 1 {
		return "", false
	}
	for n := range l.where {
		return n, true
	}
	return "", false
}

func (l *lineage) label(label string) *labelState {
	if l.labels[label] == nil {
		l.labels[label] = &labelState{allowed: map[int]bool{}, absentOK: true}
	}
	return l.labels[label]
}

// certainLabels are the labels known to point at one version.
func (l *lineage) certainLabels() map[string]int {
	out := map[string]int{}
	for name, st := range l.labels {
		if !st.absentOK && len(st.allowed) == 1 {
			for n := range st.allowed {
				out[name] = n
			}
		}
	}
	return out
}

func (l *lineage) addVersion(n int, hash string) {
	if len(l.versions[n]) < len(hash) {
		l.versions[n] = hash
	}
}

func (l *lineage) knownVersions() []int { return slices.Sorted(maps.Keys(l.versions)) }

// reset makes the slot hold a new prompt at name, whose first commit is
// under way.
func (l *lineage) reset(name string) {
	l.gen++
	l.state = "maybe made"
	l.where = map[string]bool{name: true}
	l.had = map[string]bool{name: true}
	l.versions = map[int]string{}
	l.reported = map[string]bool{}
	l.attempts = 0
	l.chain = 0
	l.movedFrom = ""
	l.labels = map[string]*labelState{}
	l.includes = map[int]string{}
	l.renamed = false
}

// lineageStats are the figures of what the soak did to lineages.
type lineageStats struct {
	created, deleted, deletedLabelled, deletedIncluded int
	renames, renamesBack, reusedNames, longestChain    int
	movesBeforeRename, movesAfterRename, rollbacks     int
	labelDeletes, includes, renamedCommits             int
	roundTripsRenamed, reimportsEmpty, ownImportsEmpty int
	audits                                             int // audit --prompt checks that held
}

func (st lineageStats) String() string {
	return fmt.Sprintf("lineages: %d made, %d renames reported (%d back to an earlier name, longest chain %d), %d commits to renamed prompts, %d with an include, %d label moves before a rename and %d after, %d rollbacks, %d label --delete, %d rm --force (%d labelled, %d included), %d names reused after a delete, %d audit --prompt checks; %d round trips holding renamed labelled prompts, %d re-imports of the same file and %d imports of its own export that planned nothing",
		st.created, st.renames, st.renamesBack, st.longestChain, st.renamedCommits, st.includes, st.movesBeforeRename, st.movesAfterRename,
		st.rollbacks, st.labelDeletes, st.deleted, st.deletedLabelled, st.deletedIncluded, st.reusedNames, st.audits,
		st.roundTripsRenamed, st.reimportsEmpty, st.ownImportsEmpty)
}

// newLineages makes each slot's prompt at the start of an epoch: two
// versions (the second including the next slot's first), production on
// the first.
func (s *soak) newLineages() {
	s.model.lineages = make([]*lineage, lineageSlots)
	for slot := lineageSlots - 1; slot >= 0; slot-- {
		l := &lineage{slot: slot}
		s.model.lineages[slot] = l
		name := lineageName(slot, lineageNames[0])
		l.reset(name)
		for i := range 2 {
			body := fmt.Sprintf("Lineage %d.%d first words on {{q}}.\n", slot, i)
			if i == 1 && slot+1 < lineageSlots {
				body += fmt.Sprintf("{{> %s@1}}\n", lineageName(slot+1, lineageNames[0]))
			}
			out := s.mustRun(body, "commit", name, "-m", "soak lineage")
			if _, err := s.lineageCommitted(out); err != nil {
				s.t.Fatal(err)
			}
			if i == 1 && slot+1 < lineageSlots {
				l.includes[2] = lineageName(slot+1, lineageNames[0])
			}
		}
		s.model.usedNames[name] = true
		if err := s.lineageLabelled(s.mustRun("", "label", name+"@1", "production")); err != nil {
			s.t.Fatal(err)
		}
		s.stats.lineage.created++
	}
}

// lineageCommitted records a reported commit of a lineage.
func (s *soak) lineageCommitted(out string) (*lineage, error) {
	g := committedLine.FindStringSubmatch(out)
	if g == nil {
		return nil, fmt.Errorf("commit succeeded without its committed line: %q", out)
	}
	slot := lineageOf(g[1])
	if slot < 0 {
		return nil, fmt.Errorf("commit of %s reported for a lineage", g[1])
	}
	l := s.model.lineages[slot]
	n, _ := strconv.Atoi(g[2])
	l.state, l.where = "live", map[string]bool{g[1]: true}
	l.addVersion(n, g[3])
	l.reported[g[3]] = true
	return l, nil
}

// lineageLabelled records a reported label move of a lineage.
func (s *soak) lineageLabelled(out string) error {
	g := labelLine.FindStringSubmatch(out)
	if g == nil {
		return fmt.Errorf("label succeeded without its line: %q", out)
	}
	slot := lineageOf(g[1])
	if slot < 0 {
		return fmt.Errorf("label of %s reported for a lineage", g[1])
	}
	n, _ := strconv.Atoi(g[3])
	l := s.model.lineages[slot]
	*l.label(g[2]) = labelState{allowed: map[int]bool{n: true}}
	if l.renamed {
		s.stats.lineage.movesAfterRename++
	} else {
		s.stats.lineage.movesBeforeRename++
	}
	return nil
}

// liveLineages are the slots whose prompt's name is known, other than
// those of except.
func (s *soak) liveLineages(except ...int) []*lineage {
	var out []*lineage
	for _, l := range s.model.lineages {
		if _, ok := l.name(); ok && !slices.Contains(except, l.slot) {
			out = append(out, l)
		}
	}
	return out
}

func (s *soak) pickLineage(ok func(*lineage) bool) *lineage {
	var c []*lineage
	for _, l := range s.liveLineages() {
		if ok == nil || ok(l) {
			c = append(c, l)
		}
	}
	if len(c) == 0 {
		return nil
	}
	return c[s.rng.IntN(len(c))]
}

//go:build linux

package main

import (
	"fmt"
	"slices"
	"strings"
)

// lineageAction makes one of the writes users make to labelled and
// included prompts (soak_lineage_test.go); with nothing to do it on, it
// falls back to another kind, and in the end to an ordinary commit.
func (s *soak) lineageAction(kind, tag string, iter int) action {
	ws := []string{"--workspace", s.ws}
	a := action{kind: kind, touched: soakPrompts[0], spec: procSpec{background: s.rng.IntN(2) == 0}, rewritesExport: true}
	lock := func(ls ...*lineage) {
		for _, l := range ls {
			a.locks = append(a.locks, fmt.Sprintf("lineage %d", l.slot))
		}
	}
	st := &s.stats.lineage
	switch kind {
	case "commit lineage":
		return s.lineageCommit(tag, iter)
	case "label lineage", "rollback":
		l := s.pickLineage(func(l *lineage) bool { return len(l.versions) > 0 })
		if l == nil {
			return s.lineageCommit(tag, iter)
		}
		name, _ := l.name()
		label := lineageLabels[s.rng.IntN(len(lineageLabels))]
		known := l.knownVersions()
		n := known[s.rng.IntN(len(known))]
		if kind == "rollback" {
			// Back to a version before the one a label is known at.
			var cands [][2]int // label index, version
			for i, lb := range lineageLabels {
				if at, ok := l.certainLabels()[lb]; ok {
					for _, v := range known {
						if v < at {
							cands = append(cands, [2]int{i, v})
						}
					}
				}
			}
			if len(cands) == 0 {
				a.kind = "label lineage"
			} else {
				c := cands[s.rng.IntN(len(cands))]
				label, n = lineageLabels[c[0]], c[1]
			}
		}
		lock(l)
		// A move to where the label is changes nothing and rewrites no
		// export file, as for "label".
		a.rewritesExport = false
		a.spec.args = append(ws, "label", fmt.Sprintf("%s@%d", name, n), label)
		rollback := a.kind == "rollback"
		a.reported = func(o outcome) error {
			if rollback && !strings.Contains(o.out, " moved from version ") {
				return fmt.Errorf("rollback of %s@%s to %d reported no move: %q", name, label, n, o.out)
			}
			if rollback {
				st.rollbacks++
			}
			return s.lineageLabelled(o.out)
		}
		a.unknown = func() { l.label(label).allowed[n] = true }
		return a
	case "label --delete lineage":
		l := s.pickLineage(func(l *lineage) bool { return len(l.certainLabels()) > 0 })
		if l == nil {
			return s.lineageAction("label lineage", tag, iter)
		}
		name, _ := l.name()
		labels := l.certainLabels()
		var names []string
		for lb := range labels {
			names = append(names, lb)
		}
		slices.Sort(names)
		label := names[s.rng.IntN(len(names))]
		lock(l)
		a.spec.args = append(ws, "label", "--delete", name, label)
		a.reported = func(outcome) error {
			*l.label(label) = labelState{allowed: map[int]bool{}, absentOK: true}
			st.labelDeletes++
			return nil
		}
		a.unknown = func() { l.label(label).absentOK = true }
		return a
	case "mv labelled", "mv back":
		// Labelled ones first: their moves must follow the rename.
		l := s.pickLineage(func(l *lineage) bool { return len(l.certainLabels()) > 0 })
		if l == nil {
			l = s.pickLineage(nil)
		}
		if l == nil {
			return s.lineageCommit(tag, iter)
		}
		from, _ := l.name()
		var fresh, back []string
		for _, n := range lineageNames {
			name := lineageName(l.slot, n)
			switch {
			case name == from:
			case l.had[name]:
				back = append(back, name)
			default:
				fresh = append(fresh, name)
			}
		}
		targets := fresh
		if kind == "mv back" && len(back) > 0 || len(fresh) == 0 {
			a.kind, targets = "mv back", back
		} else {
			a.kind = "mv labelled"
		}
		to := targets[s.rng.IntN(len(targets))]
		isBack := a.kind == "mv back"
		lock(l)
		a.spec.args = append(ws, "mv", from, to)
		a.reported = func(o outcome) error {
			if !strings.Contains(o.out, "renamed "+from+" → "+to) {
				return fmt.Errorf("mv %s %s succeeded without its renamed line: %q", from, to, o.out)
			}
			l.where, l.had[to], l.renamed = map[string]bool{to: true}, true, true
			l.chain++
			st.renames++
			st.longestChain = max(st.longestChain, l.chain)
			if isBack {
				st.renamesBack++
			}
			s.model.usedNames[to] = true
			return nil
		}
		a.unknown = func() {
			l.where[to], l.had[to], l.movedFrom = true, true, from
			s.model.usedNames[to] = true
		}
		return a
	case "rm --force":
		l := s.pickLineage(nil)
		if l == nil {
			return s.lineageCommit(tag, iter)
		}
		name, _ := l.name()
		labelled, included := len(l.certainLabels()) > 0, s.included(name)
		lock(l)
		a.spec.args = append(ws, "rm", "--force", name)
		a.reported = func(o outcome) error {
			if !strings.Contains(o.out, "deleted "+name+" ") {
				return fmt.Errorf("rm --force %s succeeded without its deleted line: %q", name, o.out)
			}
			l.state = "none"
			st.deleted++
			if labelled {
				st.deletedLabelled++
			}
			if included {
				st.deletedIncluded++
			}
			return nil
		}
		a.unknown = func() { l.state = "maybe gone" }
		return a
	}
	panic("unknown lineage action " + kind)
}

// included tells whether a version of a live lineage includes name.
func (s *soak) included(name string) bool {
	for _, l := range s.model.lineages {
		if l.state == "none" {
			continue
		}
		for _, inc := range l.includes {
			if inc == name {
				return true
			}
		}
	}
	return false
}

// lineageCommit commits a version to a lineage under its name of the
// moment, or the first version of a new prompt in a free slot (perhaps
// under a name an earlier one had); half of them include another
// lineage's first version.
func (s *soak) lineageCommit(tag string, iter int) action {
	var slots []*lineage
	for _, l := range s.model.lineages {
		if _, ok := l.name(); ok || l.state == "none" {
			slots = append(slots, l)
		}
	}
	if len(slots) == 0 {
		return s.newAction("commit", iter)
	}
	l := slots[s.rng.IntN(len(slots))]
	a := action{kind: "commit lineage", touched: soakPrompts[0], spec: procSpec{background: s.rng.IntN(2) == 0}, rewritesExport: true}
	a.locks = []string{fmt.Sprintf("lineage %d", l.slot)}
	name, live := l.name()
	if !live {
		name = lineageName(l.slot, lineageNames[s.rng.IntN(len(lineageNames))])
	}
	body := fmt.Sprintf("Lineage %d.%d %s: answer {{q}} in %d words.\n", l.slot, l.gen+1, tag, 5+s.rng.IntN(50))
	include := ""
	if s.rng.IntN(2) == 0 {
		// Only a later slot: includes never close a cycle. Its first
		// version includes nothing, so the include resolves whole.
		var later []*lineage
		for _, o := range s.liveLineages(l.slot) {
			if o.slot > l.slot && o.versions[1] != "" {
				later = append(later, o)
			}
		}
		if len(later) > 0 {
			o := later[s.rng.IntN(len(later))]
			include, _ = o.name()
			body += fmt.Sprintf("{{> %s@1}}\n", include)
			a.locks = append(a.locks, fmt.Sprintf("lineage %d", o.slot))
		}
	}
	a.spec.args = []string{"--workspace", s.ws, "commit", name, "-m", "soak lineage " + tag}
	a.spec.stdin = body
	st := &s.stats.lineage
	a.reported = func(o outcome) error {
		reused := false
		if !live {
			reused = s.model.usedNames[name]
			l.reset(name)
		}
		if _, err := s.lineageCommitted(o.out); err != nil {
			return err
		}
		g := committedLine.FindStringSubmatch(o.out)
		if include != "" {
			var n int
			fmt.Sscan(g[2], &n)
			l.includes[n] = include
			st.includes++
		}
		switch {
		case !live:
			st.created++
			if reused {
				st.reusedNames++
			}
		case l.renamed:
			st.renamedCommits++
		}
		s.model.usedNames[name] = true
		return nil
	}
	a.unknown = func() {
		if !live {
			l.reset(name)
			s.model.usedNames[name] = true
		}
		l.attempts++
	}
	return a
}

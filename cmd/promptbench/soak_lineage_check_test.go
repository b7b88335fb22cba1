//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// checkLineages: each lineage is under exactly one of the names it may
// have, whole (its versions with their hashes, no more unknown ones than
// commits were tried), with the labels its moves left; a deleted one
// stays gone; and each label's history in the export holds each move
// once and ends where the label points.
func (s *soak) checkLineages(listed map[string]listedPrompt, exported map[string]exportedPrompt) []problem {
	var probs []problem
	for _, l := range s.model.lineages {
		var present []string
		for _, n := range lineageNames {
			if _, ok := listed[lineageName(l.slot, n)]; ok {
				present = append(present, lineageName(l.slot, n))
			}
		}
		switch {
		case len(present) > 1:
			probs = append(probs, problem{kind: "half-applied", detail: fmt.Sprintf("lineage %d is under %d names at once: %v (it may be under %v)", l.slot, len(present), present, keysOf(l.where))})
			continue
		case l.state == "none" && len(present) == 1:
			probs = append(probs, problem{kind: "unexpected", detail: fmt.Sprintf("%s exists; its prompt was reported deleted, or never made", present[0])})
			continue
		case l.state == "none":
			continue
		case len(present) == 0 && (l.state == "maybe made" || l.state == "maybe gone"):
			l.state = "none"
			continue
		case len(present) == 0:
			probs = append(probs, problem{kind: "lost", detail: fmt.Sprintf("lineage %d is under none of %v", l.slot, keysOf(l.where))})
			continue
		case !l.where[present[0]]:
			probs = append(probs, problem{kind: "unexpected", detail: fmt.Sprintf("lineage %d is under %s; it may only be under %v", l.slot, present[0], keysOf(l.where))})
		}
		name := present[0]
		if l.state == "maybe made" {
			s.stats.lineage.created++
		}
		if l.movedFrom != "" && l.movedFrom != name {
			l.renamed = true
			l.chain++
			s.stats.lineage.longestChain = max(s.stats.lineage.longestChain, l.chain)
		}
		l.state, l.where, l.had[name], l.movedFrom = "live", map[string]bool{name: true}, true, ""
		probs = append(probs, s.checkLineageVersions(l, name, exported[name])...)
		probs = append(probs, checkLineageLabels(l, name, listed[name], exported[name])...)
	}
	return probs
}

func (s *soak) checkLineageVersions(l *lineage, name string, p exportedPrompt) []problem {
	var probs []problem
	got := map[int]string{}
	for _, v := range p.Versions {
		got[v.Number] = v.Hash
	}
	for n, hash := range l.versions {
		if h, ok := got[n]; !ok || !strings.HasPrefix(h, hash) {
			probs = append(probs, problem{kind: "lost", detail: fmt.Sprintf("%s@%d (%s) is gone (now %q)", name, n, hash, shortHash(h))})
		}
	}
	unknown := 0
	for n, h := range got {
		if _, ok := l.versions[n]; !ok {
			unknown++
			l.addVersion(n, h)
		}
	}
	if unknown > l.attempts {
		probs = append(probs, problem{kind: "unexpected", detail: fmt.Sprintf("%s: %d versions appeared from %d unreported commits", name, unknown, l.attempts)})
	}
	l.attempts = 0
	return probs
}

func checkLineageLabels(l *lineage, name string, listed listedPrompt, p exportedPrompt) []problem {
	var probs []problem
	for label, st := range l.labels {
		n, ok := listed.Labels[label]
		switch {
		case !ok && !st.absentOK:
			probs = append(probs, problem{kind: "lost", detail: fmt.Sprintf("label %s@%s is gone (expected one of %v)", name, label, keys(st.allowed))})
		case ok && !st.allowed[n]:
			probs = append(probs, problem{kind: "unexpected", detail: fmt.Sprintf("label %s@%s points at %d; moves reported or tried: %v", name, label, n, keys(st.allowed))})
		}
		switch {
		case ok:
			*st = labelState{allowed: map[int]bool{n: true}}
		case st.absentOK:
			*st = labelState{allowed: map[int]bool{}, absentOK: true}
		}
	}
	for label, n := range listed.Labels {
		if l.labels[label] == nil {
			probs = append(probs, problem{kind: "unexpected", detail: fmt.Sprintf("label %s@%s → %d, which no move set", name, label, n)})
		}
	}
	for label, el := range p.Labels {
		seen := map[string]bool{}
		for _, h := range el.History {
			id := fmt.Sprintf("%d %s %s", h.Version, h.Author, h.Time)
			if seen[id] {
				probs = append(probs, problem{kind: "unexpected", detail: fmt.Sprintf("the export's history of %s@%s holds the move to %d at %s twice", name, label, h.Version, h.Time)})
			}
			seen[id] = true
		}
		if len(el.History) > 0 && el.History[len(el.History)-1].Version != el.Version {
			probs = append(probs, problem{kind: "unexpected", detail: fmt.Sprintf("the export's history of %s@%s ends at %d; the label points at %d", name, label, el.History[len(el.History)-1].Version, el.Version)})
		}
	}
	return probs
}

// lineageExportProblems: the export file holds every version a commit
// reported of each lineage that no delete was tried on since.
func (s *soak) lineageExportProblems(data []byte) []problem {
	var probs []problem
	for _, l := range s.model.lineages {
		if l.state != "live" {
			continue
		}
		for h := range l.reported {
			if !bytes.Contains(data, []byte(h)) {
				probs = append(probs, problem{kind: "lost", detail: fmt.Sprintf("export_file %s lacks reported version %s of lineage %d", filepath.Base(s.exportFile), h, l.slot)})
			}
		}
	}
	return probs
}

// lineageNamesListed are the lineage prompts list shows, for the export
// the checks read.
func lineageNamesListed(listed map[string]listedPrompt) []string {
	var out []string
	for name := range listed {
		if lineageOf(name) >= 0 {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// onlyLeftIncludes reads doctor --json and says what in it is more than
// the includes the soak broke on purpose: versions of lineages including
// a lineage that rm --force deleted or mv renamed away.
func (s *soak) onlyLeftIncludes(out string) error {
	var rep struct {
		Problems []struct {
			Kind, Prompt, Message, Detail string
			Fixed                         bool
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		return fmt.Errorf("doctor --json printed no report: %v", err)
	}
	var other []string
	for _, p := range rep.Problems {
		if p.Fixed || p.Kind == "include-broken" && lineageOf(p.Prompt) >= 0 && lineageInclude.MatchString(p.Detail) {
			continue
		}
		other = append(other, p.Message)
	}
	if len(other) > 0 {
		return fmt.Errorf("%s", strings.Join(other, " | "))
	}
	return nil
}

var lineageInclude = regexp.MustCompile(`\{\{> soak/l\d+/[abc]@1\}\}`)

// planNothing: an import's output plans no change at all.
var planNothing = regexp.MustCompile(`^\S+: 0 new prompts, 0 new versions \(\d+ already here\), 0 divergences, 0 label changes\n`)

// reimport imports file again where it came from and where it went: into
// the fresh workspace it was imported into (for real: nothing to import)
// and, as a dry run, into the soak's workspace that exported it.
func (s *soak) reimport(file, fresh string) []problem {
	o := s.r.run("--workspace", fresh, "import", file)
	if o.code != 0 || !planNothing.MatchString(o.out) || !strings.Contains(o.out, "nothing to import") {
		return []problem{{kind: "round-trip", detail: fmt.Sprintf("importing the same file again: exit %d, planned %s %s", o.code, firstLines(o.out), firstLines(o.err))}}
	}
	s.stats.lineage.reimportsEmpty++
	o = s.r.run("--workspace", s.ws, "import", "--dry-run", file)
	if o.code != 0 || !planNothing.MatchString(o.out) {
		return []problem{{kind: "round-trip", detail: fmt.Sprintf("importing its own export (dry run): exit %d, planned %s %s", o.code, firstLines(o.out), firstLines(o.err))}}
	}
	s.stats.lineage.ownImportsEmpty++
	return nil
}

// renamedLabelled tells whether a lineage now renamed carries a label, or
// one was deleted: what the round trip must carry through.
func (s *soak) renamedLabelled() bool {
	for _, l := range s.model.lineages {
		if l.state == "live" && l.renamed && len(l.certainLabels()) > 0 {
			return true
		}
	}
	return false
}

func keysOf(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// auditLineage: audit --prompt, which follows a prompt through its
// renames, shows one live lineage's own history: a commit event for each
// of its versions, once (none of an earlier prompt that had one of its
// names), each label move once, its labels' last moves where they point,
// and its last rename to the name it has.
func (s *soak) auditLineage() []problem {
	l := s.pickLineage(func(l *lineage) bool { return len(l.versions) > 0 })
	if l == nil {
		return nil
	}
	name, _ := l.name()
	o := s.r.run("--workspace", s.ws, "audit", "--prompt", name, "--json")
	if o.code != 0 {
		return []problem{{kind: "read failed", detail: fmt.Sprintf("audit --prompt %s --json: exit %d: %s", name, o.code, firstLines(o.err))}}
	}
	var events []struct {
		Time, Action, Prompt, Label string
		Version                     int
	}
	if err := json.Unmarshal([]byte(o.out), &events); err != nil {
		return []problem{{kind: "read failed", detail: fmt.Sprintf("audit --json printed no JSON: %v", err)}}
	}
	var probs []problem
	commits := map[int]int{}
	moves := map[string]bool{}
	last := map[string]int{}
	renamedTo := ""
	for _, ev := range events {
		switch ev.Action {
		case "commit":
			commits[ev.Version]++
		case "label":
			id := ev.Time + " " + ev.Label
			if moves[id] {
				probs = append(probs, problem{kind: "unexpected", detail: fmt.Sprintf("audit --prompt %s: the move of %s to %d at %s twice", name, ev.Label, ev.Version, ev.Time)})
			}
			moves[id] = true
			last[ev.Label] = ev.Version
		case "unlabel":
			delete(last, ev.Label)
		case "rename":
			renamedTo = ev.Prompt
		}
	}
	for n := range l.versions {
		if commits[n] != 1 {
			probs = append(probs, problem{kind: "unexpected", detail: fmt.Sprintf("audit --prompt %s: %d commit events of version %d", name, commits[n], n)})
		}
	}
	for n := range commits {
		if l.versions[n] == "" {
			probs = append(probs, problem{kind: "unexpected", detail: fmt.Sprintf("audit --prompt %s: a commit event of version %d, which it does not have", name, n)})
		}
	}
	for label, n := range l.certainLabels() {
		if got, ok := last[label]; !ok || got != n {
			probs = append(probs, problem{kind: "unexpected", detail: fmt.Sprintf("audit --prompt %s: the last move of %s is to %d (%v); it points at %d", name, label, got, ok, n)})
		}
	}
	if renamedTo != "" && renamedTo != name {
		probs = append(probs, problem{kind: "unexpected", detail: fmt.Sprintf("audit --prompt %s: its last rename is to %s", name, renamedTo)})
	}
	if len(probs) == 0 {
		s.stats.lineage.audits++
	}
	return probs
}

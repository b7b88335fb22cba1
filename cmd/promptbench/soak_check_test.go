//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
)

// problem is one broken promise the soak found.
type problem struct {
	kind   string // unopenable, open failed once, read failed, lost, half-applied, unexpected, failed, doctor, litter, round-trip
	detail string
	// elsewhere: about a folder other than the soak's workspace (a killed
	// init's), which stays usable.
	elsewhere bool
}

func (p problem) String() string { return p.kind + ": " + p.detail }

// usable tells a problem after which the workspace still works as it
// should, so the soak goes on with it.
func (p problem) usable() bool {
	return p.elsewhere || p.kind == "failed" || p.kind == "open failed once" || p.kind == "litter"
}

type listedPrompt struct {
	Name       string         `json:"name"`
	Labels     map[string]int `json:"labels"`
	Latest     int            `json:"latest"`
	LatestHash string         `json:"latest_hash"`
	Tags       []string       `json:"tags"`
}

type exportedLibrary struct {
	Prompts []exportedPrompt `yaml:"prompts"`
}

type exportedPrompt struct {
	Name   string `yaml:"name"`
	Labels map[string]struct {
		Version int `yaml:"version"`
		History []struct {
			Version int    `yaml:"version"`
			Author  string `yaml:"author"`
			Time    string `yaml:"time"`
		} `yaml:"history"`
	} `yaml:"labels"`
	Versions []struct {
		Number int    `yaml:"number"`
		Hash   string `yaml:"hash"`
	} `yaml:"versions"`
}

// check opens the workspace with fresh processes, as the user's next
// commands would, and compares what they show with the model. It settles
// the model on what it saw: from then on that must stay.
func (s *soak) check(touched string) []problem {
	var probs []problem
	ws := s.ws
	list := s.r.run("--workspace", ws, "list", "--json")
	if list.code != 0 {
		// Tell a store that stays broken from one whose first open after
		// the kill fails and whose next one works.
		first := fmt.Sprintf("list --json: exit %d: %s", list.code, firstLines(list.err))
		list = s.r.run("--workspace", ws, "list", "--json")
		if list.code != 0 {
			again := "; the next list failed the same way"
			if second := fmt.Sprintf("list --json: exit %d: %s", list.code, firstLines(list.err)); second != first {
				again = "; the next one: " + second
			}
			return []problem{{kind: "unopenable", detail: first + again}}
		}
		probs = append(probs, problem{kind: "open failed once", detail: first + "; the next list worked"})
	}
	var listed []listedPrompt
	if err := json.Unmarshal([]byte(list.out), &listed); err != nil {
		return []problem{{kind: "unopenable", detail: fmt.Sprintf("list --json printed no JSON: %v", err)}}
	}
	if h := s.r.run("--workspace", ws, "history", touched, "--json"); h.code != 0 {
		probs = append(probs, problem{kind: "read failed", detail: fmt.Sprintf("history %s --json: exit %d: %s", touched, h.code, firstLines(h.err))})
	}
	byName := map[string]listedPrompt{}
	for _, p := range listed {
		byName[p.Name] = p
	}
	vprobs, versions, exported := s.checkVersions(byName)
	probs = append(probs, vprobs...)
	if exported != nil {
		probs = append(probs, s.checkLineages(byName, exported)...)
	}
	probs = append(probs, s.checkLabelsAndTags(byName)...)
	probs = append(probs, s.checkMoves(byName)...)
	probs = append(probs, s.checkImports(listed, versions)...)
	probs = append(probs, s.checkLogs()...)
	probs = append(probs, s.checkExportFile()...)
	probs = append(probs, s.checkExperiments(byName)...)
	probs = append(probs, s.checkReviews()...)
	return probs
}

// checkExportFile: the export file a workspace keeps is replaced whole and
// holds every version a commit reported (a later killed command may have
// left it behind the store, never behind a reported change).
func (s *soak) checkExportFile() []problem {
	if s.exportFile == "" {
		return nil
	}
	data, err := os.ReadFile(s.exportFile)
	if err != nil {
		return []problem{{kind: "lost", detail: fmt.Sprintf("export_file: %v", err)}}
	}
	var probs []problem
	for _, h := range s.model.reported {
		if !bytes.Contains(data, []byte(h)) {
			probs = append(probs, problem{kind: "lost", detail: fmt.Sprintf("export_file %s lacks reported version %s", filepath.Base(s.exportFile), h)})
		}
	}
	return append(probs, s.lineageExportProblems(data)...)
}

// checkVersions compares every soak prompt's versions with the model:
// numbered 1..latest without gaps, every reported or seen one still there
// with its hash, and no more unknown ones than commits were attempted. It
// returns the versions it saw: prompt → number → hash.
//
// The export holds the lineages too (soak_lineage_test.go), which it
// returns by name for checkLineages.
func (s *soak) checkVersions(listed map[string]listedPrompt) ([]problem, map[string]map[int]string, map[string]exportedPrompt) {
	args := []string{"--workspace", s.ws, "export"}
	for _, p := range append(slices.Clone(soakPrompts), lineageNamesListed(listed)...) {
		args = append(args, "--prompt", p)
	}
	exp := s.r.run(args...)
	if exp.code != 0 {
		return []problem{{kind: "read failed", detail: fmt.Sprintf("export: exit %d: %s", exp.code, firstLines(exp.err))}}, nil, nil
	}
	var lib exportedLibrary
	if err := yaml.Unmarshal([]byte(exp.out), &lib); err != nil {
		return []problem{{kind: "read failed", detail: fmt.Sprintf("export printed no library: %v", err)}}, nil, nil
	}
	var probs []problem
	m := s.model
	seen := map[string]map[int]string{}
	exported := map[string]exportedPrompt{}
	for _, p := range lib.Prompts {
		exported[p.Name] = p
		got := map[int]string{}
		seen[p.Name] = got
		for i, v := range p.Versions {
			if v.Number != i+1 {
				probs = append(probs, problem{kind: "half-applied", detail: fmt.Sprintf("%s: version %d at position %d", p.Name, v.Number, i+1)})
			}
			got[v.Number] = v.Hash
		}
		if l, ok := listed[p.Name]; !ok || l.Latest != len(p.Versions) || (len(p.Versions) > 0 && l.LatestHash != p.Versions[len(p.Versions)-1].Hash) {
			probs = append(probs, problem{kind: "half-applied", detail: fmt.Sprintf("%s: list shows latest %d (%s), its history has %d versions", p.Name, l.Latest, shortHash(l.LatestHash), len(p.Versions))})
		}
		if !slices.Contains(soakPrompts, p.Name) {
			continue // a lineage: checkLineages
		}
		for n, hash := range m.versions[p.Name] {
			if h, ok := got[n]; !ok || !strings.HasPrefix(h, hash) {
				probs = append(probs, problem{kind: "lost", detail: fmt.Sprintf("%s@%d (%s) is gone (now %q)", p.Name, n, hash, shortHash(h))})
			}
		}
		unknown := 0
		for n, h := range got {
			if _, ok := m.versions[p.Name][n]; !ok {
				unknown++
				m.addVersion(p.Name, n, h)
			}
		}
		if unknown > m.attempts[p.Name] {
			probs = append(probs, problem{kind: "unexpected", detail: fmt.Sprintf("%s: %d versions appeared from %d unreported commits", p.Name, unknown, m.attempts[p.Name])})
		}
		m.attempts[p.Name] = 0
	}
	return probs, seen, exported
}

// checkLabelsAndTags: each tracked label points where a reported or
// attempted move put it; each reported or seen soak tag is still there.
func (s *soak) checkLabelsAndTags(listed map[string]listedPrompt) []problem {
	var probs []problem
	for k, st := range s.model.labels {
		n, ok := listed[k.prompt].Labels[k.label]
		switch {
		case !ok && !st.absentOK:
			probs = append(probs, problem{kind: "lost", detail: fmt.Sprintf("label %s@%s is gone (expected one of %v)", k.prompt, k.label, keys(st.allowed))})
		case ok && !st.allowed[n]:
			probs = append(probs, problem{kind: "unexpected", detail: fmt.Sprintf("label %s@%s points at %d; moves reported or tried: %v", k.prompt, k.label, n, keys(st.allowed))})
		}
		switch {
		case ok:
			*st = labelState{allowed: map[int]bool{n: true}}
		case st.absentOK:
			*st = labelState{allowed: map[int]bool{}, absentOK: true}
		}
	}
	for prompt, want := range s.model.tags {
		have := listed[prompt].Tags
		for tag := range want {
			if !slices.Contains(have, tag) {
				probs = append(probs, problem{kind: "lost", detail: fmt.Sprintf("tag %s of %s is gone", tag, prompt)})
			}
		}
	}
	for _, prompt := range soakPrompts {
		for _, tag := range listed[prompt].Tags {
			if strings.HasPrefix(tag, "soak:") {
				s.model.requireTag(prompt, tag)
			}
		}
	}
	return probs
}

// checkLogs: every log entry a run reported is in its version's log.
func (s *soak) checkLogs() []problem {
	if len(s.model.logIDs) == 0 {
		return nil
	}
	logs := s.r.run("--workspace", s.ws, "logs", runPrompt+"@1", "--json")
	if logs.code != 0 {
		return []problem{{kind: "read failed", detail: fmt.Sprintf("logs: exit %d: %s", logs.code, firstLines(logs.err))}}
	}
	var doc struct {
		Entries []struct {
			ID string `json:"id"`
		} `json:"entries"`
	}
	if err := json.Unmarshal([]byte(logs.out), &doc); err != nil {
		return []problem{{kind: "read failed", detail: fmt.Sprintf("logs --json printed no JSON: %v", err)}}
	}
	have := map[string]bool{}
	for _, e := range doc.Entries {
		have[e.ID] = true
	}
	var probs []problem
	for _, id := range s.model.logIDs {
		if !have[id] {
			probs = append(probs, problem{kind: "lost", detail: fmt.Sprintf("log entry %s of a reported run is gone", id)})
		}
	}
	return probs
}

// doctor: after any kill, once the store has been opened, the store
// self-check finds nothing to repair, bar the includes of lineages that
// rm --force and mv left pointing at nothing, as they say they do.
func (s *soak) doctor() []problem {
	o := s.r.run("--workspace", s.ws, "doctor", "--json")
	if o.code == exitProblems {
		if err := s.onlyLeftIncludes(o.out); err != nil {
			return []problem{{kind: "doctor", detail: "doctor: " + err.Error()}}
		}
	} else if o.code != 0 {
		return []problem{{kind: "doctor", detail: fmt.Sprintf("doctor: exit %d: %s %s", o.code, firstLines(o.out), firstLines(o.err))}}
	}
	s.stats.doctorRuns++
	return nil
}

// roundTrip exports the library (every other time with its logs and
// runs), imports it into a fresh workspace and exports that: both files
// must be the same bytes.
func (s *soak) roundTrip(iter int) []problem {
	dir := filepath.Join(s.tmp, fmt.Sprintf("roundtrip-%d", iter))
	defer os.RemoveAll(dir)
	if (iter/roundTripEvery)%folderEvery == 1 {
		return s.folderRoundTrip(dir)
	}
	a, b, fresh := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml"), filepath.Join(dir, "ws")
	export := []string{"export"}
	if (iter/roundTripEvery)%2 == 0 {
		export = append(export, "--with-logs")
	}
	steps := [][]string{
		append([]string{"--workspace", s.ws}, append(export, "--out", a)...),
		{"--workspace", fresh, "init"},
		{"--workspace", fresh, "import", a},
		append([]string{"--workspace", fresh}, append(export, "--out", b)...),
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return []problem{{kind: "round-trip", detail: err.Error()}}
	}
	if s.exportFile != "" {
		// The kept export file must be a whole, importable library.
		steps = append([][]string{{"--workspace", s.ws, "import", "--dry-run", s.exportFile}}, steps...)
	}
	for _, args := range steps {
		if o := s.r.run(args...); o.code != 0 {
			return []problem{{kind: "round-trip", detail: fmt.Sprintf("%s: exit %d: %s", strings.Join(args[2:], " "), o.code, firstLines(o.err))}}
		}
	}
	if probs := s.reimport(a, fresh); len(probs) > 0 {
		return probs
	}
	da, errA := os.ReadFile(a)
	db, errB := os.ReadFile(b)
	if errA != nil || errB != nil {
		return []problem{{kind: "round-trip", detail: fmt.Sprintf("read exports: %v %v", errA, errB)}}
	}
	if !bytes.Equal(da, db) {
		return []problem{{kind: "round-trip", detail: fmt.Sprintf("export of the re-imported library differs (%d vs %d bytes; %s; both files and the fresh workspace kept in %s)", len(da), len(db), firstDifference(da, db), keepCopy(dir))}}
	}
	if len(export) == 1 && s.teammate {
		if probs := s.teammateRoundTrip(a, dir); len(probs) > 0 {
			return probs
		}
	}
	s.stats.roundTrips++
	if s.renamedLabelled() {
		s.stats.lineage.roundTripsRenamed++
	}
	if len(export) > 1 {
		s.stats.roundTripsWithLogs++
	}
	return nil
}

func firstLines(s string) string {
	s = strings.TrimSpace(s)
	if lines := strings.SplitN(s, "\n", 4); len(lines) > 3 {
		return strings.Join(lines[:3], " | ") + " …"
	}
	return strings.ReplaceAll(s, "\n", " | ")
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func keys(m map[int]bool) []int {
	var ks []int
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

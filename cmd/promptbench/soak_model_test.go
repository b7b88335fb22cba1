//go:build linux

package main

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
)

// soakModel is what the soak knows must be in the store: every change a
// process reported (exit 0 and its output), and everything a check has
// seen once, since nothing may disappear afterwards. Changes of killed
// processes may or may not be there; the model bounds them.
type soakModel struct {
	// versions: prompt → number → hash (12 hex or full) reported or seen.
	versions map[string]map[int]string
	// attempts: commits per prompt since the last check whose outcome is
	// unknown (killed, or failed): at most that many unknown versions.
	attempts map[string]int
	labels   map[labelKey]*labelState
	// tags: prompt → tags that must be present.
	tags    map[string]map[string]bool
	imports []*importState
	// logIDs: log entries of soak/run@1 that a run reported.
	logIDs []string
	moves  []*moveState
	// reported: hashes (12 hex) of the versions commits reported, which
	// the export file must hold when the workspace keeps one.
	reported []string
	// experiments the soak created or tried to (soak_ab_test.go).
	experiments []*abState
	// reviews: what the soak knows of the review of a soak version.
	reviews map[reviewKey]*reviewState
	// lineages: the labelled prompts renamed, rolled back and deleted
	// (soak_lineage_test.go), by slot; usedNames: every name one held.
	lineages  []*lineage
	usedNames map[string]bool
}

type labelKey struct{ prompt, label string }

// labelState is what a label may point at: the last reported move, or any
// move attempted after it.
type labelState struct {
	allowed  map[int]bool
	absentOK bool
}

func newSoakModel() *soakModel {
	return &soakModel{
		versions:  map[string]map[int]string{},
		attempts:  map[string]int{},
		labels:    map[labelKey]*labelState{},
		tags:      map[string]map[string]bool{},
		reviews:   map[reviewKey]*reviewState{},
		usedNames: map[string]bool{},
	}
}

var (
	committedLine = regexp.MustCompile(`committed (\S+)@(\d+) \(([0-9a-f]{12})\)`)
	labelLine     = regexp.MustCompile(`(?m)^(\S+)@(\S+) (?:→ version|already points at version|moved from version \d+ to) (\d+)`)
)

// commitReported records a commit's "committed NAME@N (HASH)" line.
func (m *soakModel) commitReported(out string) error {
	g := committedLine.FindStringSubmatch(out)
	if g == nil {
		return fmt.Errorf("commit succeeded without its committed line: %q", out)
	}
	n, _ := strconv.Atoi(g[2])
	m.addVersion(g[1], n, g[3])
	m.reported = append(m.reported, g[3])
	return nil
}

func (m *soakModel) addVersion(prompt string, n int, hash string) {
	if m.versions[prompt] == nil {
		m.versions[prompt] = map[int]string{}
	}
	if len(m.versions[prompt][n]) < len(hash) {
		m.versions[prompt][n] = hash
	}
}

// knownVersions lists the version numbers of prompt known to exist.
func (m *soakModel) knownVersions(prompt string) []int {
	var ns []int
	for n := range m.versions[prompt] {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	return ns
}

func (m *soakModel) label(prompt, label string) *labelState {
	k := labelKey{prompt, label}
	if m.labels[k] == nil {
		m.labels[k] = &labelState{allowed: map[int]bool{}, absentOK: true}
	}
	return m.labels[k]
}

// labelReported records a reported label move: from now on only that.
func (m *soakModel) labelReported(out string) error {
	g := labelLine.FindStringSubmatch(out)
	if g == nil {
		return fmt.Errorf("label succeeded without its line: %q", out)
	}
	n, _ := strconv.Atoi(g[3])
	*m.label(g[1], g[2]) = labelState{allowed: map[int]bool{n: true}}
	return nil
}

// labelDeleted records a reported label --delete: the label is gone.
func (m *soakModel) labelDeleted(prompt, label string) {
	*m.label(prompt, label) = labelState{allowed: map[int]bool{}, absentOK: true}
}

// presentLabels lists the labels of prompt that a check found or a move
// reported, and no later attempt may have changed.
func (m *soakModel) presentLabels(prompt string) []string {
	var ls []string
	for k, st := range m.labels {
		if k.prompt == prompt && !st.absentOK && len(st.allowed) == 1 {
			ls = append(ls, k.label)
		}
	}
	slices.Sort(ls)
	return ls
}

// labelAttempted records a move whose outcome is unknown.
func (m *soakModel) labelAttempted(prompt, label string, n int) {
	m.label(prompt, label).allowed[n] = true
}

func (m *soakModel) requireTag(prompt, tag string) {
	if m.tags[prompt] == nil {
		m.tags[prompt] = map[string]bool{}
	}
	m.tags[prompt][tag] = true
}

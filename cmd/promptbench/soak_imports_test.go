//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"

	"promptbench/workspace"
	"promptbench/workspace/exchange"
)

// importSource is an export file imports are cut from: its prompts are
// named bench/…, renamed to a fresh prefix for each import.
type importSource struct {
	data                      []byte
	prompts, versions, labels int
}

// importState is one import file and what it must leave: all of it or
// nothing. A library import brings new prompts under prefix; a merge
// import brings new versions (hashes) to one of the soak's prompts.
type importState struct {
	file string

	prefix                    string
	prompts, versions, labels int

	prompt     string
	hashes     []string
	fileLabels map[string]int // the prompt's labels in the file

	reported bool
	seen     string // "", "absent" or "present" once a check looked
}

// labelEvery: one prompt in so many of an import source has a production
// label, so that labels are part of what an import must apply whole.
const (
	labelEvery      = 10
	maxSourceLabels = 15
)

// prepareImports makes the two sources: a small library, and one large
// enough that an import is still writing (in bulk mode, with its larger
// memtable) when it is killed.
func (s *soak) prepareImports() {
	s.t.Helper()
	ctx := context.Background()
	for _, src := range []struct {
		into              *importSource
		prompts, versions int
	}{{&s.imports.small, 150, 3}, {&s.imports.big, 2000, 4}} {
		dir := filepath.Join(s.tmp, fmt.Sprintf("source-%d", src.prompts))
		if err := buildLargeWorkspace(dir, src.prompts, src.versions); err != nil {
			s.t.Fatal(err)
		}
		ws, err := workspace.Open(dir, sideOptions())
		if err != nil {
			s.t.Fatal(err)
		}
		labels := 0
		// At most maxSourceLabels label moves: each is a store open of
		// its own, slow under the race detector.
		for i := 0; i < src.prompts && labels < maxSourceLabels; i += labelEvery {
			if _, err := ws.SetLabel(ctx, fmt.Sprintf("bench/prompt-%05d@2", i), "production"); err != nil {
				s.t.Fatal(err)
			}
			labels++
		}
		file := dir + ".yaml"
		if err := exchange.ExportTo(ctx, ws, file, exchange.ExportOptions{}); err != nil {
			s.t.Fatal(err)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			s.t.Fatal(err)
		}
		*src.into = importSource{data: data, prompts: src.prompts, versions: src.prompts * src.versions, labels: labels}
	}
}

// sideOptions are those of the workspaces the test itself writes: the
// import sources and a teammate's copy of a prompt.
func sideOptions() workspace.Options {
	return workspace.Options{Author: func() string { return "teammate" }, Getenv: func(string) string { return "" }, AfterChange: exchange.SyncExportFile}
}

// libraryImport writes an import file of new prompts under a fresh prefix.
func (s *soak) libraryImport(tag string, src importSource) *importState {
	imp := &importState{prefix: "imp-" + tag + "/", prompts: src.prompts, versions: src.versions, labels: src.labels}
	imp.file = filepath.Join(s.tmp, "import-"+tag+".yaml")
	data := bytes.ReplaceAll(src.data, []byte("name: bench/"), []byte("name: "+imp.prefix))
	if err := os.WriteFile(imp.file, data, 0o644); err != nil {
		s.t.Fatal(err)
	}
	return imp
}

// mergeImport is what a teammate sends back: the prompt as it is here, with
// a few versions more, committed in a copy of it.
func (s *soak) mergeImport(tag, prompt string) *importState {
	s.t.Helper()
	ctx := context.Background()
	dir := filepath.Join(s.tmp, "side-"+tag)
	defer os.RemoveAll(dir)
	here := dir + "-here.yaml"
	defer os.Remove(here)
	if o := s.r.run("--workspace", s.ws, "export", "--prompt", prompt, "--out", here); o.code != 0 {
		s.t.Fatalf("export %s for a merge import: exit %d: %s", prompt, o.code, o.err)
	}
	data, err := os.ReadFile(here)
	if err != nil {
		s.t.Fatal(err)
	}
	side, _, err := workspace.Init(ctx, dir, sideOptions())
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := exchange.Import(ctx, side, "here.yaml", bytes.NewReader(data), exchange.ImportOptions{}); err != nil {
		s.t.Fatal(err)
	}
	imp := &importState{prompt: prompt, file: filepath.Join(s.tmp, "merge-"+tag+".yaml")}
	// The file carries the prompt's labels as they are now; imported after
	// a later move or delete, it may set them again.
	var lib struct {
		Prompts []struct {
			Labels map[string]struct {
				Version int `yaml:"version"`
			} `yaml:"labels"`
		} `yaml:"prompts"`
	}
	if err := yaml.Unmarshal(data, &lib); err != nil || len(lib.Prompts) != 1 {
		s.t.Fatalf("export of %s: %v", prompt, err)
	}
	imp.fileLabels = map[string]int{}
	for name, l := range lib.Prompts[0].Labels {
		imp.fileLabels[name] = l.Version
	}
	for i := range 2 + s.rng.IntN(3) {
		d := workspace.Draft{
			Messages: []workspace.Message{{Role: workspace.RoleUser, Content: fmt.Sprintf("Teammate's take %s.%d on {{q}}.", tag, i)}},
			Message:  "teammate " + tag,
		}
		res, err := side.Commit(ctx, prompt, d)
		if err != nil {
			s.t.Fatal(err)
		}
		imp.hashes = append(imp.hashes, res.Version.Hash)
	}
	if err := exchange.ExportTo(ctx, side, imp.file, exchange.ExportOptions{Prompts: []string{prompt}}); err != nil {
		s.t.Fatal(err)
	}
	return imp
}

// pendingImport picks an earlier import that a kill left out, for the user
// who runs it again; nil when there is none.
func (s *soak) pendingImport() *importState {
	var pending []*importState
	for _, imp := range s.model.imports {
		if !imp.reported && imp.seen == "absent" {
			pending = append(pending, imp)
		}
	}
	if len(pending) == 0 {
		return nil
	}
	return pending[s.rng.IntN(len(pending))]
}

var plannedVersion = regexp.MustCompile(`(?m)^  new version  (\S+)@(\d+)(?: \(@\d+ in the file\))?  ([0-9a-f]{12})  `)

// importReported records a reported import: its new versions of the soak's
// prompts, as the plan printed them.
func (m *soakModel) importReported(imp *importState, out string) {
	imp.reported, imp.seen = true, ""
	m.importLabels(imp)
	for _, g := range plannedVersion.FindAllStringSubmatch(out, -1) {
		if imp.prompt != "" && g[1] == imp.prompt {
			n, _ := strconv.Atoi(g[2])
			m.addVersion(g[1], n, g[3])
			m.reported = append(m.reported, g[3])
		}
	}
}

// importUnknown records an import whose outcome is unknown: a merge may
// have added all its versions.
func (m *soakModel) importUnknown(imp *importState) {
	imp.seen = "" // this attempt may have brought it
	m.importLabels(imp)
	if imp.prompt != "" {
		m.attempts[imp.prompt] += len(imp.hashes)
	}
}

// importLabels: an import may set the labels its file holds (a label the
// file has and the workspace no longer has counts as new).
func (m *soakModel) importLabels(imp *importState) {
	for label, n := range imp.fileLabels {
		m.labelAttempted(imp.prompt, label, n)
	}
}

// checkImports: each import is all there (prompts, versions, labels) or
// not at all; a reported import is there; what a check saw stays.
func (s *soak) checkImports(listed []listedPrompt, versions map[string]map[int]string) []problem {
	var probs []problem
	for _, imp := range s.model.imports {
		var state, detail string
		if imp.prefix != "" {
			state, detail = libraryState(imp, listed)
		} else {
			state, detail = mergeState(imp, versions[imp.prompt])
		}
		name := imp.prefix + "*"
		if imp.prefix == "" {
			name = filepath.Base(imp.file)
		}
		switch {
		case state == "partial":
			probs = append(probs, problem{kind: "half-applied", detail: fmt.Sprintf("import %s: %s", name, detail)})
			continue
		case state == "absent" && imp.reported:
			probs = append(probs, problem{kind: "lost", detail: fmt.Sprintf("import %s reported success and is gone", name)})
		case imp.seen != "" && imp.seen != state:
			probs = append(probs, problem{kind: "unexpected", detail: fmt.Sprintf("import %s was %s, is now %s", name, imp.seen, state)})
		}
		imp.seen = state
	}
	return probs
}

func libraryState(imp *importState, listed []listedPrompt) (state, detail string) {
	prompts, versions, labels := 0, 0, 0
	for _, p := range listed {
		if strings.HasPrefix(p.Name, imp.prefix) {
			prompts++
			versions += p.Latest
			labels += len(p.Labels)
		}
	}
	switch {
	case prompts == 0:
		return "absent", ""
	case prompts == imp.prompts && versions == imp.versions && labels == imp.labels:
		return "present", ""
	}
	return "partial", fmt.Sprintf("%d of %d prompts, %d of %d versions, %d of %d labels", prompts, imp.prompts, versions, imp.versions, labels, imp.labels)
}

func mergeState(imp *importState, versions map[int]string) (state, detail string) {
	have := map[string]bool{}
	for _, h := range versions {
		have[h] = true
	}
	n := 0
	for _, h := range imp.hashes {
		if have[h] {
			n++
		}
	}
	switch n {
	case 0:
		return "absent", ""
	case len(imp.hashes):
		return "present", ""
	}
	return "partial", fmt.Sprintf("%d of its %d new versions of %s", n, len(imp.hashes), imp.prompt)
}

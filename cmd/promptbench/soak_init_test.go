//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"promptbench/testdata"
)

// demoLibrary is what `init --demo` leaves: prompt → its list entry.
type demoLibrary map[string]listedPrompt

// initAction kills `init --demo` of a new folder, then does what its user
// would: runs it again and looks. The folder must then hold the whole demo
// library and its datasets, byte for byte.
func (s *soak) initAction(tag string) action {
	project := filepath.Join(s.tmp, "init-"+tag)
	dir := filepath.Join(project, ".promptbench")
	return action{
		kind:     "init --demo",
		touched:  soakPrompts[0],
		spec:     procSpec{args: []string{"--workspace", dir, "init", "--demo"}},
		reported: func(outcome) error { return nil },
		unknown:  func() {},
		verify: func(outcome) []problem {
			defer os.RemoveAll(project)
			left := storeListing(dir)
			again := s.r.run("--workspace", dir, "init", "--demo")
			// A store that already holds the demo may refuse to load it
			// again (exit 2); the library must be whole either way.
			var probs []problem
			if again.code != 0 && again.code != 2 {
				probs = append(probs, problem{kind: "failed", detail: fmt.Sprintf("init --demo again: exit %d: %s", again.code, firstLines(again.err))})
			}
			probs = append(probs, s.checkDemo(dir)...)
			if len(probs) > 0 {
				// The soak's own workspace is not concerned: say where
				// this one was and what the kill left in it.
				kept := keepCopy(project)
				for i := range probs {
					probs[i].elsewhere = true
					probs[i].detail += fmt.Sprintf(" [store files after the kill: %s; kept in %s]", left, kept)
				}
			}
			return probs
		},
	}
}

func (s *soak) checkDemo(dir string) []problem {
	list := s.r.run("--workspace", dir, "list", "--json")
	if list.code != 0 {
		return []problem{{kind: "unopenable", detail: fmt.Sprintf("list --json after init --demo: exit %d: %s", list.code, firstLines(list.err))}}
	}
	got, err := parseDemo(list.out)
	if err != nil {
		return []problem{{kind: "read failed", detail: err.Error()}}
	}
	var probs []problem
	for name, want := range s.demo {
		have, ok := got[name]
		if !ok || have.Latest != want.Latest || have.LatestHash != want.LatestHash || len(have.Labels) != len(want.Labels) {
			probs = append(probs, problem{kind: "half-applied", detail: fmt.Sprintf("init --demo: %s is %+v, the demo has %+v", name, have, want)})
		}
	}
	if len(got) != len(s.demo) {
		probs = append(probs, problem{kind: "half-applied", detail: fmt.Sprintf("init --demo: %d prompts, the demo has %d", len(got), len(s.demo))})
	}
	err = fs.WalkDir(testdata.DemoDatasets, "demo/datasets", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		want, err := fs.ReadFile(testdata.DemoDatasets, path)
		if err != nil {
			return err
		}
		have, err := os.ReadFile(filepath.Join(dir, "datasets", d.Name()))
		if err != nil || !bytes.Equal(have, want) {
			probs = append(probs, problem{kind: "half-applied", detail: fmt.Sprintf("init --demo: dataset %s has %d of its %d bytes (%v)", d.Name(), len(have), len(want), err)})
		}
		return nil
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return probs
}

func parseDemo(listJSON string) (demoLibrary, error) {
	var listed []listedPrompt
	if err := json.Unmarshal([]byte(listJSON), &listed); err != nil {
		return nil, fmt.Errorf("list --json printed no JSON: %v", err)
	}
	lib := demoLibrary{}
	for _, p := range listed {
		lib[p.Name] = p
	}
	return lib, nil
}

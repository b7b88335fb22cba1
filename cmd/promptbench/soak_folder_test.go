//go:build linux

package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// folderEvery: every so many round trips go through an export folder
// (export --dir) instead of one file.
const folderEvery = 4

// folderRoundTrip exports the library as a folder, imports the folder into
// a fresh workspace and exports that as a folder: both must hold the same
// files with the same bytes. The folder the soak refreshes with export
// --dir through the whole workspace (where renamed and deleted prompts'
// files must go) must hold the same too, and importing the folder again,
// into the fresh workspace and into the soak's, must plan nothing.
func (s *soak) folderRoundTrip(dir string) []problem {
	a, b, fresh := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "ws")
	kept := filepath.Join(s.tmp, fmt.Sprintf("folder-%d", s.epoch))
	steps := [][]string{
		{"--workspace", s.ws, "export", "--dir", a},
		{"--workspace", s.ws, "export", "--dir", kept},
		{"--workspace", fresh, "init"},
		{"--workspace", fresh, "import", a},
		{"--workspace", fresh, "export", "--dir", b},
	}
	for _, args := range steps {
		if o := s.r.run(args...); o.code != 0 {
			return []problem{{kind: "round-trip", detail: fmt.Sprintf("%s: exit %d: %s", strings.Join(args[2:], " "), o.code, firstLines(o.err))}}
		}
	}
	if probs := s.reimport(a, fresh); len(probs) > 0 {
		return probs
	}
	if d := treeDiff(a, b); d != "" {
		return []problem{{kind: "round-trip", detail: "export --dir of the re-imported library differs: " + d}}
	}
	if d := treeDiff(a, kept); d != "" {
		return []problem{{kind: "round-trip", detail: "the folder export --dir kept current differs from a new one: " + d}}
	}
	s.stats.folderRoundTrips++
	if s.renamedLabelled() {
		s.stats.lineage.roundTripsRenamed++
	}
	return nil
}

// treeDiff names the first files in which two folders differ, "" when
// they hold the same files with the same bytes.
func treeDiff(a, b string) string {
	ta, errA := readTree(a)
	tb, errB := readTree(b)
	if errA != nil || errB != nil {
		return fmt.Sprintf("read folders: %v %v", errA, errB)
	}
	var diffs []string
	for name, data := range ta {
		other, ok := tb[name]
		switch {
		case !ok:
			diffs = append(diffs, name+" only in "+filepath.Base(a))
		case !bytes.Equal(data, other):
			diffs = append(diffs, fmt.Sprintf("%s (%d vs %d bytes)", name, len(data), len(other)))
		}
	}
	for name := range tb {
		if _, ok := ta[name]; !ok {
			diffs = append(diffs, name+" only in "+filepath.Base(b))
		}
	}
	slices.Sort(diffs)
	if len(diffs) > 5 {
		diffs = append(diffs[:5], fmt.Sprintf("and %d more", len(diffs)-5))
	}
	return strings.Join(diffs, ", ")
}

// readTree reads every file under dir, by path inside it; empty folders
// count as files, so that one left behind shows.
func readTree(dir string) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			if entries, err := os.ReadDir(path); err == nil && len(entries) == 0 {
				out[rel+"/"] = nil
			}
			return nil
		}
		data, err := os.ReadFile(path)
		out[rel] = data
		return err
	})
	return out, err
}

// firstDifference names the first line two exports differ at.
func firstDifference(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d: %q, re-imported %q", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("one ends at line %d", min(len(la), len(lb)))
}

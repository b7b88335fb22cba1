//go:build linux

package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// teammateRoundTrip is the teammate who pulls the soak's export file and
// imports it, round trip after round trip, keeping what import keeps (a
// prompt renamed or deleted here stays under its old name there, a label
// removed here stays there): the teammate's library must itself survive
// export → import into a fresh workspace → export byte for byte, and the
// import of the same file a second time must plan nothing.
func (s *soak) teammateRoundTrip(file, dir string) []problem {
	mate := filepath.Join(s.tmp, fmt.Sprintf("teammate-%d", s.epoch))
	t, again, fresh := filepath.Join(dir, "teammate.yaml"), filepath.Join(dir, "teammate-again.yaml"), filepath.Join(dir, "teammate-ws")
	var steps [][]string
	if _, err := os.Stat(mate); err != nil {
		steps = append(steps, []string{"--workspace", mate, "init"})
	}
	steps = append(steps,
		[]string{"--workspace", mate, "import", file},
		[]string{"--workspace", mate, "export", "--out", t},
		[]string{"--workspace", fresh, "init"},
		[]string{"--workspace", fresh, "import", t},
		[]string{"--workspace", fresh, "export", "--out", again},
	)
	for _, args := range steps {
		if o := s.r.run(args...); o.code != 0 {
			return []problem{{kind: "round-trip", detail: fmt.Sprintf("teammate: %s: exit %d: %s", strings.Join(args[2:], " "), o.code, firstLines(o.err))}}
		}
	}
	o := s.r.run("--workspace", mate, "import", file)
	if o.code != 0 || !planNothing.MatchString(o.out) {
		return []problem{{kind: "round-trip", detail: fmt.Sprintf("teammate: importing the same file again: exit %d, planned %s %s (the file kept in %s, the teammate after the second import in %s)", o.code, firstLines(o.out), firstLines(o.err), keepCopy(dir), keepCopy(mate))}}
	}
	if o := s.r.run("--workspace", fresh, "import", t); o.code != 0 || !planNothing.MatchString(o.out) {
		return []problem{{kind: "round-trip", detail: fmt.Sprintf("teammate: importing its export a second time into a fresh workspace: exit %d, planned %s %s", o.code, firstLines(o.out), firstLines(o.err))}}
	}
	dt, errT := os.ReadFile(t)
	da, errA := os.ReadFile(again)
	if errT != nil || errA != nil {
		return []problem{{kind: "round-trip", detail: fmt.Sprintf("teammate: read exports: %v %v", errT, errA)}}
	}
	if !bytes.Equal(dt, da) {
		return []problem{{kind: "round-trip", detail: fmt.Sprintf("teammate: the export of its library imported into a fresh workspace differs (%d vs %d bytes; %s; kept in %s, the teammate's in %s)", len(dt), len(da), firstDifference(dt, da), keepCopy(dir), keepCopy(mate))}}
	}
	s.stats.teammateRoundTrips++
	return nil
}

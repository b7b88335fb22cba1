//go:build linux

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// proc is one process of an iteration: what it was and how it ended.
type proc struct {
	a     action
	delay time.Duration
	o     outcome
}

func (r proc) String() string {
	fate := "finished"
	switch {
	case r.o.killed:
		fate = fmt.Sprintf("killed after %v", r.delay)
	case r.o.code != 0:
		fate = fmt.Sprintf("exit %d", r.o.code)
	}
	return fmt.Sprintf("promptbench %s (%s)", strings.Join(r.a.spec.args[2:], " "), fate)
}

// stepResult is one iteration: its processes, what they left in the store
// directory, and what the checks found.
type stepResult struct {
	runs    []proc
	listing string
	probs   []problem
}

// concurrentShare is the percentage of iterations that run two writers at
// once, as a user with the library open in two terminals does: one waits
// for the other's lock, and either may be killed holding it.
const concurrentShare = 20

// step runs one writing process (sometimes two at once), kills it or lets
// it finish, deals with the background maintenance it started, and checks
// the workspace.
func (s *soak) step(iter int) stepResult {
	acts := []action{s.pickAction(iter)}
	if s.rng.IntN(100) < concurrentShare {
		acts = append(acts, s.pickOther(iter, acts[0]))
		s.stats.concurrent++
	}
	runs := make([]proc, len(acts))
	for i, a := range acts {
		runs[i] = proc{a: a, delay: s.pickDelay(a.kind, a.late)}
	}
	// Drawn every time, so that the sequence a seed gives does not depend
	// on whether a background process happened to start.
	killBackground, backgroundDelay := s.rng.IntN(2) == 0, time.Duration(s.rng.IntN(80))*time.Millisecond

	var wg sync.WaitGroup
	for i := range runs {
		wg.Go(func() {
			o, err := s.r.start(runs[i].a.spec, runs[i].delay)
			if err != nil {
				o = outcome{code: -1, err: err.Error()}
			}
			runs[i].o = o
		})
	}
	wg.Wait()
	listing := storeListing(s.ws)
	var probs []problem
	for _, r := range runs {
		probs = append(probs, s.record(r)...)
		if r.a.verify != nil {
			probs = append(probs, r.a.verify(r.o)...)
		}
	}
	probs = append(probs, s.checkLitter(runs)...)
	if len(strays(s.r.bin)) > 0 && killBackground {
		time.Sleep(backgroundDelay)
		for _, pid := range strays(s.r.bin) {
			if kill(pid) {
				s.stats.kills["maintain (background)"]++
			}
		}
	}
	if n := waitStrays(s.r.bin, time.Minute); n > 0 {
		probs = append(probs, problem{kind: "failed", detail: fmt.Sprintf("%d background maintain processes still ran after a minute", n)})
	}
	probs = append(probs, s.check(acts[0].touched)...)
	return stepResult{runs: runs, listing: listing, probs: probs}
}

// checkLitter: the temporary files killed processes left beside the
// export file are gone once a later command rewrote it, unless a process
// of this same iteration was killed after that.
func (s *soak) checkLitter(runs []proc) []problem {
	if s.exportFile == "" {
		return nil
	}
	rewrote := false
	for _, r := range runs {
		if !r.o.ok() {
			return nil
		}
		rewrote = rewrote || r.a.rewritesExport
	}
	if n := s.litter(); rewrote && n > 0 {
		return []problem{{kind: "litter", detail: fmt.Sprintf("%d temporary files of killed processes are still beside %s after it was rewritten", n, filepath.Base(s.exportFile))}}
	}
	return nil
}

// pickOther picks a second writer that touches another prompt than first,
// so that each one's reported change can be told apart.
func (s *soak) pickOther(iter int, first action) action {
	for try := 1; ; try++ {
		// Each try its own number: the files an action writes are named
		// after it.
		a := s.pickAction(iter*1000 + try)
		if a.touched != first.touched && !slices.ContainsFunc(a.locks, func(l string) bool { return slices.Contains(first.locks, l) }) {
			return a
		}
	}
}

// record enters a process's outcome into the figures and the model.
func (s *soak) record(r proc) []problem {
	a, o := r.a, r.o
	switch {
	case o.killed:
		s.stats.kills[a.kind]++
		a.unknown()
	case o.code == 0 || a.accept != nil && a.accept(o):
		s.stats.finished[a.kind]++
		s.learn(a.kind, o.took)
		if err := a.reported(o); err != nil {
			return []problem{{kind: "failed", detail: err.Error()}}
		}
	default:
		s.stats.failed[a.kind]++
		a.unknown()
		return []problem{{kind: "failed", detail: fmt.Sprintf("%s exited %d (not killed): %s", a.kind, o.code, firstLines(o.err))}}
	}
	return nil
}

// pickDelay: most kills land in the first 80 ms, where a command opens the
// store and writes, and within the time the command usually takes; late
// ones reach imports and model calls mid-write. A negative delay lets the
// process finish.
func (s *soak) pickDelay(kind string, late bool) time.Duration {
	finish, lateRoll, at := s.rng.IntN(100), s.rng.IntN(100), s.rng.Float64()
	if finish < 25 {
		return -1
	}
	lateShare := 10
	if late {
		lateShare = 50
	}
	typical, known := s.typical[kind]
	if lateRoll < lateShare {
		// 80 ms up to a little past the usual end, within 400 ms.
		end := min(max(typical*6/5, 120*time.Millisecond), 400*time.Millisecond)
		if !known {
			end = 400 * time.Millisecond
		}
		return 80*time.Millisecond + time.Duration(at*float64(end-80*time.Millisecond))
	}
	window := 80 * time.Millisecond
	if known && typical*6/5 < window {
		window = typical * 6 / 5
	}
	return time.Duration(at * float64(window))
}

// learn keeps a moving average of how long kind takes to finish.
func (s *soak) learn(kind string, took time.Duration) {
	if d, ok := s.typical[kind]; ok {
		took = (4*d + took) / 5
	}
	s.typical[kind] = took
}

// storeListing names the store's files and sizes: what a kill left behind,
// before the next process touches it.
func storeListing(ws string) string {
	entries, err := os.ReadDir(filepath.Join(ws, "store"))
	if err != nil {
		return err.Error()
	}
	var parts []string
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && !e.IsDir() {
			parts = append(parts, fmt.Sprintf("%s %d", e.Name(), fi.Size()))
		}
	}
	return strings.Join(parts, ", ")
}

// fail records a broken workspace: the seed, the iteration, the commands
// and a copy of the workspace kept outside the test's temporary folder.
func (s *soak) fail(iter int, st stepResult, probs []problem) {
	kept, listing := "is fine", ""
	if slices.ContainsFunc(probs, func(p problem) bool { return !p.elsewhere }) {
		kept = "kept in " + keepCopy(s.ws)
		listing = "\n    store files after it: " + st.listing
	}
	var cmds []string
	for _, r := range st.runs {
		cmds = append(cmds, r.String())
	}
	var lines []string
	for _, p := range probs {
		s.stats.problems[p.kind]++
		switch p.kind {
		case "unopenable":
			s.stats.unopenable++
		case "lost":
			s.stats.lost++
		}
		lines = append(lines, "    "+p.String())
	}
	msg := fmt.Sprintf("seed %d iteration %d: %s; the workspace %s%s\n%s",
		s.seed, iter, strings.Join(cmds, " while "), kept, listing, strings.Join(lines, "\n"))
	s.t.Log(msg)
	s.fails = append(s.fails, msg)
}

// keepCopy copies dir outside the test's temporary folder, for whoever
// reproduces a failure, and tells where.
func keepCopy(dir string) string {
	keep, err := os.MkdirTemp("", "promptbench-soak-")
	if err != nil {
		return "(not kept: " + err.Error() + ")"
	}
	to := filepath.Join(keep, filepath.Base(dir))
	if err := os.CopyFS(to, os.DirFS(dir)); err != nil {
		return "(not kept: " + err.Error() + ")"
	}
	return to
}
